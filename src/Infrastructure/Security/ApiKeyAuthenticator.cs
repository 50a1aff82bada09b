using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.Security;

/// <summary>
/// Looks keys up by token hash. Answers are cached for a short time so the hot path (invoke) does not pay a query per
/// request; revocation through this instance evicts at once, other instances notice within <see cref="CacheFor"/>.
/// </summary>
internal sealed class ApiKeyAuthenticator(IServiceScopeFactory scopes, ITokenHasher hasher, IFunctionKeys functionKeys, TimeProvider clock) : IApiKeyAuthenticator
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private const int MaxCachedKeys = 10_000;
    private readonly ShortLivedCredentialCache<AuthenticatedKey> _cache = new(clock, CacheFor, MaxCachedKeys);

    public async ValueTask<AuthenticatedKey?> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        if (token.StartsWith(FunctionKeys.Prefix, StringComparison.Ordinal))
        {
            return token.Length > 4096 ? null : functionKeys.Read(token);
        }

        if (token.Length is 0 or > 256)
        {
            return null;
        }

        var hash = hasher.Hash(token);
        if (_cache.TryGet(hash, out var cached))
        {
            return cached;
        }

        var lookup = _cache.BeginLookup();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await (from key in db.ApiKeys.AsNoTracking()
                         join user in db.Users.AsNoTracking() on key.UserId equals user.Id
                         where key.TokenHash == hash
                         select new { key.Id, key.UserId, user.IsAdmin, key.WorkspaceId, key.Scopes, key.ExpiresAt, key.RevokedAt })
            .FirstOrDefaultAsync(ct);

        AuthenticatedKey? result = row is null || row.RevokedAt is not null
            ? null
            : new AuthenticatedKey(row.Id, row.UserId, row.IsAdmin, row.WorkspaceId, row.Scopes.ToHashSet(StringComparer.Ordinal));
        return _cache.Store(lookup, hash, result, row?.ExpiresAt);
    }

    public void Forget(string keyId) => _cache.Evict(key => key.KeyId == keyId);
}
