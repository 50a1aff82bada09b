using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.Security;

/// <summary>
/// Looks sessions up by secret hash, together with the key they were opened with: a revoked or expired key ends its
/// sessions. Cached as briefly as API keys; ending a session on this instance evicts it at once.
/// </summary>
internal sealed class SessionAuthenticator(IServiceScopeFactory scopes, ITokenHasher hasher, TimeProvider clock) : ISessionAuthenticator
{
    private const int MaxCachedSessions = 10_000;
    private readonly ShortLivedCredentialCache<AuthenticatedKey> _cache = new(clock, ApiKeyAuthenticator.CacheFor, MaxCachedSessions);

    public async ValueTask<AuthenticatedKey?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        if (secret.Length is 0 or > 256)
        {
            return null;
        }

        var hash = hasher.Hash(secret);
        if (_cache.TryGet(hash, out var cached))
        {
            return cached;
        }

        var lookup = _cache.BeginLookup();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await (from session in db.Sessions.AsNoTracking()
                         join key in db.ApiKeys.AsNoTracking() on session.ApiKeyId equals key.Id
                         join user in db.Users.AsNoTracking() on key.UserId equals user.Id
                         where session.SecretHash == hash
                         select new { SessionId = session.Id, SessionExpiresAt = session.ExpiresAt, KeyId = key.Id, key.UserId, user.IsAdmin, key.WorkspaceId, key.Scopes, key.ExpiresAt, key.RevokedAt })
            .FirstOrDefaultAsync(ct);

        AuthenticatedKey? result = row is null || row.RevokedAt is not null
            ? null
            : new AuthenticatedKey(row.KeyId, row.UserId, row.IsAdmin, row.WorkspaceId, row.Scopes.ToHashSet(StringComparer.Ordinal), SessionId: row.SessionId);
        DateTimeOffset? expiresAt = row is null ? null
            : row.ExpiresAt is { } keyExpiry && keyExpiry < row.SessionExpiresAt ? keyExpiry : row.SessionExpiresAt;
        return _cache.Store(lookup, hash, result, expiresAt);
    }

    public void Forget(string sessionId) => _cache.Evict(key => key.SessionId == sessionId);

    public void ForgetKey(string keyId) => _cache.Evict(key => key.KeyId == keyId);
}
