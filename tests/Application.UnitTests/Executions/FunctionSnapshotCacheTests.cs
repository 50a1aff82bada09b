using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.UnitTests.Executions;

public sealed class FunctionSnapshotCacheTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new();

    private Function NewFunction(string id) => Function.Create(id, "ws", "f", "node-20", _clock.Now);

    [Test]
    public async Task FunctionAsync_WithinTimeToLive_ShouldNotLoadAgain()
    {
        var cache = new FunctionSnapshotCache(_clock);
        var loads = 0;
        Task<Function?> Load() { loads++; return Task.FromResult<Function?>(NewFunction("fun_a")); }

        await cache.FunctionAsync("fun_a", Load);
        await cache.FunctionAsync("fun_a", Load);

        Assert.That(loads, Is.EqualTo(1));
    }

    [Test]
    public async Task FunctionAsync_AfterTimeToLive_ShouldLoadAgain()
    {
        var cache = new FunctionSnapshotCache(_clock);
        var loads = 0;
        Task<Function?> Load() { loads++; return Task.FromResult<Function?>(NewFunction("fun_a")); }

        await cache.FunctionAsync("fun_a", Load);
        _clock.Now += FunctionSnapshotCache.TimeToLive + TimeSpan.FromMilliseconds(1);
        await cache.FunctionAsync("fun_a", Load);

        Assert.That(loads, Is.EqualTo(2));
    }

    [Test]
    public async Task EvictFunction_ShouldDropFunctionVariablesAndItsVersionsOnly()
    {
        var cache = new FunctionSnapshotCache(_clock);
        var loads = new Dictionary<string, int>();
        Task<T?> Count<T>(string key, T value) where T : class { loads[key] = loads.GetValueOrDefault(key) + 1; return Task.FromResult<T?>(value); }
        var mine = FunctionVersion.Create("funver_a", "fun_a", "v1", null, null, _clock.Now);
        var other = FunctionVersion.Create("funver_b", "fun_b", "v1", null, null, _clock.Now);
        await cache.FunctionAsync("fun_a", () => Count("fa", NewFunction("fun_a")));
        await cache.VersionAsync("funver_a", () => Count("va", mine));
        await cache.VersionAsync("funver_b", () => Count("vb", other));

        cache.EvictFunction("fun_a");
        await cache.FunctionAsync("fun_a", () => Count("fa", NewFunction("fun_a")));
        await cache.VersionAsync("funver_a", () => Count("va", mine));
        await cache.VersionAsync("funver_b", () => Count("vb", other));

        Assert.That((loads["fa"], loads["va"], loads["vb"]), Is.EqualTo((2, 2, 1)));
    }

    [Test]
    public async Task FunctionAsync_WhenMissing_ShouldNotCacheTheAbsence()
    {
        var cache = new FunctionSnapshotCache(_clock);
        var loads = 0;

        await cache.FunctionAsync("fun_x", () => { loads++; return Task.FromResult<Function?>(null); });
        await cache.FunctionAsync("fun_x", () => { loads++; return Task.FromResult<Function?>(null); });

        Assert.That(loads, Is.EqualTo(2));
    }
}
