using FunctionsPlatform.Infrastructure.Security;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Security;

public sealed class ShortLivedCredentialCacheTests
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private readonly FakeClock _clock = new();

    private ShortLivedCredentialCache<Credential> Cache(int maxEntries = 100) => new(_clock, CacheFor, maxEntries);

    [Test]
    public void Store_ShouldAnswerFromTheCache_UntilTheCacheTimeEnds()
    {
        var cache = Cache();
        var alice = new Credential("key-1", "session-1");

        var stored = cache.Store(cache.BeginLookup(), "hash-1", alice, expiresAt: null);
        _clock.Advance(CacheFor - TimeSpan.FromMilliseconds(1));
        var hitBeforeTheEnd = cache.TryGet("hash-1", out var cached);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var hitAtTheEnd = cache.TryGet("hash-1", out var afterTheEnd);

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.SameAs(alice));
            Assert.That(hitBeforeTheEnd, Is.True);
            Assert.That(cached, Is.SameAs(alice));
            Assert.That(hitAtTheEnd, Is.False, "a stale answer is looked up again");
            Assert.That(afterTheEnd, Is.Null);
        });
    }

    [Test]
    public void TryGet_ForAHashNeverStored_ShouldMiss()
    {
        var cache = Cache();
        cache.Store(cache.BeginLookup(), "hash-1", new Credential("key-1", null), expiresAt: null);

        Assert.That(cache.TryGet("hash-2", out _), Is.False);
    }

    [Test]
    public void UnknownSecret_ShouldBeCachedAsNull_SoItIsNotLookedUpAgain()
    {
        var cache = Cache();

        var stored = cache.Store(cache.BeginLookup(), "hash-1", credential: null, expiresAt: null);

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.Null);
            Assert.That(cache.TryGet("hash-1", out var cached), Is.True);
            Assert.That(cached, Is.Null);
        });
    }

    [Test]
    public void CredentialExpiringWhileCached_ShouldBeRefusedAtOnce()
    {
        var cache = Cache();
        var expiresAt = _clock.GetUtcNow() + TimeSpan.FromMilliseconds(500);

        cache.Store(cache.BeginLookup(), "hash-1", new Credential("key-1", null), expiresAt);
        var beforeExpiry = cache.TryGet("hash-1", out var valid);
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        var atExpiry = cache.TryGet("hash-1", out var expired);

        Assert.Multiple(() =>
        {
            Assert.That(beforeExpiry, Is.True);
            Assert.That(valid, Is.Not.Null);
            Assert.That(atExpiry, Is.True, "still cached: the answer is known");
            Assert.That(expired, Is.Null, "but the credential expired");
        });
    }

    [Test]
    public void Store_OfACredentialAlreadyExpired_ShouldAnswerNull()
    {
        var cache = Cache();

        var stored = cache.Store(cache.BeginLookup(), "hash-1", new Credential("key-1", null), _clock.GetUtcNow());

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.Null);
            Assert.That(cache.TryGet("hash-1", out var cached), Is.True);
            Assert.That(cached, Is.Null);
        });
    }

    [Test]
    public void Evict_ShouldDropEveryMatchingCredential_AndNothingElse()
    {
        var cache = Cache();
        cache.Store(cache.BeginLookup(), "session-a", new Credential("key-1", "session-a"), expiresAt: null);
        cache.Store(cache.BeginLookup(), "session-b", new Credential("key-1", "session-b"), expiresAt: null);
        cache.Store(cache.BeginLookup(), "session-c", new Credential("key-2", "session-c"), expiresAt: null);
        cache.Store(cache.BeginLookup(), "unknown", credential: null, expiresAt: null);

        cache.Evict(credential => credential.KeyId == "key-1");

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGet("session-a", out _), Is.False);
            Assert.That(cache.TryGet("session-b", out _), Is.False);
            Assert.That(cache.TryGet("session-c", out var kept), Is.True);
            Assert.That(kept!.SessionId, Is.EqualTo("session-c"));
            Assert.That(cache.TryGet("unknown", out _), Is.True, "an unknown secret matches no credential");
            Assert.That(cache.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void LookupBegunBeforeAnEviction_ShouldAnswerItsRequest_ButLeaveNoStaleEntry()
    {
        var cache = Cache();
        var lookup = cache.BeginLookup();
        cache.Evict(credential => credential.KeyId == "key-1");

        var stored = cache.Store(lookup, "hash-1", new Credential("key-1", null), expiresAt: null);

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.Not.Null, "what the lookup read answers its own request");
            Assert.That(cache.TryGet("hash-1", out _), Is.False, "read before the eviction: never cached");
        });
        var after = cache.BeginLookup();
        cache.Store(after, "hash-1", new Credential("key-1", null), expiresAt: null);
        Assert.That(cache.TryGet("hash-1", out _), Is.True, "a lookup begun after the eviction is cached again");
    }

    [Test]
    public async Task EvictionRacingAStore_ShouldNeverLeaveTheEvictedCredentialCached()
    {
        var cache = Cache();
        for (var round = 0; round < 500; round++)
        {
            var hash = "hash-" + round;
            var lookup = cache.BeginLookup();
            using var start = new Barrier(2);
            // Random head starts, so the eviction lands before, during and after the store across the rounds.
            var storeDelay = Random.Shared.Next(0, 400);
            var evictDelay = Random.Shared.Next(0, 400);
            var store = Task.Run(() =>
            {
                start.SignalAndWait();
                Thread.SpinWait(storeDelay);
                cache.Store(lookup, hash, new Credential("key-1", null), expiresAt: null);
            });
            var evict = Task.Run(() =>
            {
                start.SignalAndWait();
                Thread.SpinWait(evictDelay);
                cache.Evict(credential => credential.KeyId == "key-1");
            });
            await Task.WhenAll(store, evict);

            Assert.That(cache.TryGet(hash, out _), Is.False, $"round {round}: the evicted credential stayed cached");
        }
    }

    [Test]
    public void Cache_ShouldHoldAtMostItsBound()
    {
        var cache = Cache(maxEntries: 3);

        for (var i = 0; i < 10; i++)
        {
            cache.Store(cache.BeginLookup(), "hash-" + i, new Credential("key-" + i, null), expiresAt: null);
            Assert.That(cache.Count, Is.LessThanOrEqualTo(3));
        }

        Assert.That(cache.TryGet("hash-9", out var last), Is.True, "the newest answer is kept");
        Assert.That(last!.KeyId, Is.EqualTo("key-9"));
    }

    private sealed record Credential(string KeyId, string? SessionId);

    private sealed class FakeClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
