namespace FunctionsPlatform.Application.Abstractions.Security;

/// <summary>
/// A key the caller presented. <paramref name="FunctionId"/>: a function's short-lived key (no user behind it).
/// <paramref name="SessionId"/>: the caller signed in with a console session opened with this key.
/// </summary>
public sealed record AuthenticatedKey(string KeyId, string UserId, bool IsAdmin, string? WorkspaceId, IReadOnlySet<string> Scopes, string? FunctionId = null, string? SessionId = null);

/// <summary>Turns a presented token into the key it belongs to, or null (unknown, revoked, expired).</summary>
public interface IApiKeyAuthenticator
{
    ValueTask<AuthenticatedKey?> AuthenticateAsync(string token, CancellationToken ct = default);

    /// <summary>Drops any cached answer for this key so a revocation takes effect at once.</summary>
    void Forget(string keyId);
}
