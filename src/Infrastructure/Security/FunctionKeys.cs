using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Domain.Identity;
using Microsoft.AspNetCore.DataProtection;

namespace FunctionsPlatform.Infrastructure.Security;

/// <summary>
/// <c>ephemeral_</c> keys: the workspace, function, scopes and expiry, sealed with Data Protection (authenticated
/// encryption under the data directory's keys), so they are checked without a database read and cannot be forged or
/// stretched. One key per function and scope set is reused while it stays valid long enough, which keeps the seal off
/// the hot path; each key lives at most <see cref="Reuse"/> longer than asked.
/// </summary>
internal sealed class FunctionKeys(IDataProtectionProvider provider, TimeProvider clock) : IFunctionKeys
{
    public const string Prefix = "ephemeral_";
    private const string Purpose = "FunctionsPlatform.FunctionKeys.v1";
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(60);
    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> _issued = new(StringComparer.Ordinal);

    public string Issue(string workspaceId, string functionId, IEnumerable<string> scopes, TimeSpan validFor)
    {
        var granted = string.Join(',', scopes.Where(Scope.GrantableToFunctions.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var now = clock.GetUtcNow();
        var cacheKey = $"{workspaceId}\n{functionId}\n{granted}";
        if (_issued.TryGetValue(cacheKey, out var issued) && issued.ExpiresAt >= now + validFor)
        {
            return issued.Token;
        }

        var expiresAt = now + validFor + Reuse;
        var payload = string.Join('\n', expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), workspaceId, functionId, granted);
        var token = Prefix + _protector.Protect(payload);
        if (_issued.Count > 10_000)
        {
            _issued.Clear();
        }

        _issued[cacheKey] = (token, expiresAt);
        return token;
    }

    public AuthenticatedKey? Read(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token[Prefix.Length..]);
        }
        catch (CryptographicException)
        {
            return null; // tampered with, sealed by another installation, or not base64url at all
        }

        var parts = payload.Split('\n');
        if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || DateTimeOffset.FromUnixTimeMilliseconds(expiresAt) <= clock.GetUtcNow())
        {
            return null;
        }

        var scopes = parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new AuthenticatedKey("ephemeral:" + parts[2], "", IsAdmin: false, parts[1], scopes, FunctionId: parts[2]);
    }
}
