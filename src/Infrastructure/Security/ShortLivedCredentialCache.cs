using System.Collections.Concurrent;

namespace FunctionsPlatform.Infrastructure.Security;

/// <summary>
/// The answers of credential lookups (API keys, console sessions) keyed by the secret's hash and kept for a short time,
/// so the hot path does not pay a query per request; other instances see a revocation within that time. An answer
/// remembers when the credential itself expires, so one that expires while cached is refused at once. Unknown and
/// revoked secrets are cached too (as null), so a client retrying a bad secret does not query either.
/// </summary>
/// <remarks>
/// Evicting (revocation, logout) also stops lookups already in flight from caching what they read before it: such a
/// lookup answers its own request, and only that one.
/// </remarks>
internal sealed class ShortLivedCredentialCache<T>(TimeProvider clock, TimeSpan cacheFor, int maxEntries) where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _evictions;

    public int Count => _entries.Count;

    /// <summary>
    /// True when a fresh answer is cached for <paramref name="hash"/>; <paramref name="credential"/> is then null for a
    /// secret that is unknown, revoked or expired.
    /// </summary>
    public bool TryGet(string hash, out T? credential)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(hash, out var entry) && entry.CachedUntil > now)
        {
            credential = IsExpired(entry.ExpiresAt, now) ? null : entry.Credential;
            return true;
        }

        credential = null;
        return false;
    }

    /// <summary>Taken before reading the credential, and handed to <see cref="Store"/> with what was read.</summary>
    public Lookup BeginLookup() => new(clock.GetUtcNow(), Interlocked.Read(ref _evictions));

    /// <summary>
    /// Caches what a lookup read (null: unknown or revoked) and answers it: null as well when the credential expired at
    /// <paramref name="expiresAt"/>. Nothing is cached when an eviction happened since the lookup began.
    /// </summary>
    public T? Store(Lookup lookup, string hash, T? credential, DateTimeOffset? expiresAt)
    {
        if (Interlocked.Read(ref _evictions) == lookup.Evictions)
        {
            // A bound against a flood of made-up secrets, each of which would otherwise stay until it is read again.
            if (_entries.Count >= maxEntries)
            {
                _entries.Clear();
            }

            var entry = new Entry(credential, expiresAt, lookup.StartedAt + cacheFor);
            _entries[hash] = entry;
            // An eviction that began between the check above and the write may have scanned before the write landed:
            // take the entry back out (only this one, a newer answer stays).
            if (Interlocked.Read(ref _evictions) != lookup.Evictions)
            {
                _entries.TryRemove(KeyValuePair.Create(hash, entry));
            }
        }

        return IsExpired(expiresAt, lookup.StartedAt) ? null : credential;
    }

    /// <summary>Drops every cached credential <paramref name="match"/> selects, so it stops working on this instance at once.</summary>
    public void Evict(Func<T, bool> match)
    {
        Interlocked.Increment(ref _evictions);
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Credential is { } credential && match(credential))
            {
                _entries.TryRemove(KeyValuePair.Create(hash, entry));
            }
        }
    }

    private static bool IsExpired(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } end && end <= now;

    /// <summary>When a lookup began, and how many evictions had happened by then.</summary>
    public readonly record struct Lookup(DateTimeOffset StartedAt, long Evictions);

    private sealed record Entry(T? Credential, DateTimeOffset? ExpiresAt, DateTimeOffset CachedUntil);
}
