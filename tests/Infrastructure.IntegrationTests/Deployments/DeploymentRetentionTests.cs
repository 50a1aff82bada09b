using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Infrastructure.Deployments;
using FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPlatform.Infrastructure.IntegrationTests.Deployments.Archives;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Deployments;

/// <summary>
/// A function's <c>deploymentRetention</c> (days; 0 keeps everything) removes its deployments older than that, with their
/// source and build files, except the active one and builds still running; the build workers apply it periodically.
/// Time is a manual clock the whole host reads.
/// </summary>
public sealed class DeploymentRetentionTests
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private HandlerTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await DeploymentTestHost.StartAsync(
        new Dictionary<string, string?> { ["Runtime:PrewarmOnActivate"] = "0", ["Builds:RetentionSweepMinutes"] = "2880", ["Builds:PollIntervalMs"] = "20" },
        services => services.AddSingleton<TimeProvider>(_clock));

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private static byte[] Source() => TarGz(tar =>
        FileEntry(tar, "index.js", $"module.exports = async ({{ res }}) => res.text('{Guid.NewGuid():N}');")); // unique: no shared artifact

    [Test]
    public async Task Sweep_ShouldRemoveOnlyInactiveDeploymentsOlderThanTheRetention_WithTheirFiles()
    {
        var functionId = await _host.CreateFunctionAsync("kept-" + Guid.NewGuid().ToString("N")[..8]);
        await SetRetentionAsync(functionId, 3);
        var old = await _host.BuildAsync((await _host.UploadAsync(functionId, Source(), activate: false)).Id);
        var oldRow = await _host.RowAsync(old.Id);
        var active = await _host.BuildAsync((await _host.UploadAsync(functionId, Source(), activate: true)).Id);
        var queued = await _host.UploadAsync(functionId, Source(), activate: false);
        _clock.Advance(TimeSpan.FromDays(2));
        var recent = await _host.BuildAsync((await _host.UploadAsync(functionId, Source(), activate: false)).Id);

        Assert.That(await SweepAsync(), Is.Zero, "nothing is 3 days old yet");
        _clock.Advance(TimeSpan.FromDays(1.5));
        var removed = await SweepAsync();

        var artifacts = _host.Services.GetRequiredService<IDeploymentArtifacts>();
        var blobs = _host.Services.GetRequiredService<IBlobStorage>();
        Assert.Multiple(async () =>
        {
            Assert.That(removed, Is.EqualTo(1));
            Assert.That(await IdsAsync(functionId), Is.EquivalentTo(new[] { active.Id, queued.Id, recent.Id }),
                "the active deployment, a build not finished and a recent one stay");
            Assert.That(artifacts.Find(oldRow.BuildKey!), Is.Null, "its build output is removed");
            Assert.That(await blobs.OpenAsync(oldRow.SourceKey!, CancellationToken.None), Is.Null, "its source archive is removed");
            Assert.That(artifacts.Find((await _host.RowAsync(active.Id)).BuildKey!), Is.Not.Null);
        });
    }

    [Test]
    public async Task Sweep_RetentionZero_ShouldKeepEveryDeploymentForever()
    {
        var functionId = await _host.CreateFunctionAsync("forever-" + Guid.NewGuid().ToString("N")[..8]);
        var old = await _host.BuildAsync((await _host.UploadAsync(functionId, Source(), activate: false)).Id);
        _clock.Advance(TimeSpan.FromDays(3650));

        await SweepAsync();

        Assert.That(await IdsAsync(functionId), Is.EqualTo(new[] { old.Id }));
    }

    [Test]
    public async Task Worker_ShouldApplyTheRetentionEveryRetentionSweepMinutes()
    {
        var functionId = await _host.CreateFunctionAsync("swept-" + Guid.NewGuid().ToString("N")[..8]);
        await SetRetentionAsync(functionId, 1);
        var old = await _host.BuildAsync((await _host.UploadAsync(functionId, Source(), activate: false)).Id);
        var worker = ActivatorUtilities.CreateInstance<DeploymentBuildWorker>(_host.Services);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(300); // the first pass sweeps at once (nothing is a day old); the next is due 2 days later on the clock
            _clock.Advance(TimeSpan.FromDays(1.5));
            await Task.Delay(300);
            Assert.That(await IdsAsync(functionId), Does.Contain(old.Id), "past its retention, but the sweep waits for its interval");

            _clock.Advance(TimeSpan.FromDays(0.6));
            for (var i = 0; i < 100 && (await IdsAsync(functionId)).Count > 0; i++)
            {
                await Task.Delay(50);
            }

            Assert.That(await IdsAsync(functionId), Is.Empty);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }

    private async Task<int> SweepAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IDeploymentRetention>().SweepAsync(100, CancellationToken.None);
    }

    private async Task SetRetentionAsync(string functionId, int days)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Functions.Where(f => f.Id == functionId).ExecuteUpdateAsync(s => s.SetProperty(f => f.DeploymentRetention, days));
    }

    private async Task<List<string>> IdsAsync(string functionId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Deployments.Where(d => d.FunctionId == functionId).Select(d => d.Id).ToListAsync();
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
