using FunctionsPlatform.Application.Abstractions.Security;

namespace FunctionsPlatform.Api.Authentication;

/// <summary>The caller of this HTTP request, set by <see cref="ApiKeyAuthenticationMiddleware"/>.</summary>
public sealed class CurrentPrincipal : ICurrentPrincipal
{
    private static readonly IReadOnlySet<string> NoScopes = new HashSet<string>();

    public bool IsAuthenticated { get; private set; }
    public string UserId { get; private set; } = "";
    public bool IsAdmin { get; private set; }
    public string? ApiKeyId { get; private set; }
    public string? KeyWorkspaceId { get; private set; }
    public IReadOnlySet<string> Scopes { get; private set; } = NoScopes;
    public string? KeyFunctionId { get; private set; }
    public string? SessionId { get; private set; }

    public bool HasScope(string scope) => Scopes.Contains(scope);

    public void SignIn(AuthenticatedKey key)
    {
        IsAuthenticated = true;
        UserId = key.UserId;
        IsAdmin = key.IsAdmin;
        ApiKeyId = key.KeyId;
        KeyWorkspaceId = key.WorkspaceId;
        Scopes = key.Scopes;
        KeyFunctionId = key.FunctionId;
        SessionId = key.SessionId;
    }
}
