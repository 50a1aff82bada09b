using System.Diagnostics;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Infrastructure.Deployments;
using FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPlatform.Infrastructure.IntegrationTests.Deployments.Archives;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Deployments;

/// <summary>A deployment queued on this instance is built at once, not at the next poll: the workers are woken after the commit.</summary>
public sealed class BuildWakeUpTests
{
    private HandlerTestHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await DeploymentTestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Builds:PollIntervalMs"] = "600000", // no poll within the test: only the wake-up can start the build
        ["Runtime:PrewarmOnActivate"] = "0",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task QueuedDeployment_ShouldBeBuiltWithoutWaitingForThePoll()
    {
        var functionId = await _host.CreateFunctionAsync("woken");
        var worker = ActivatorUtilities.CreateInstance<DeploymentBuildWorker>(_host.Services);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(200); // the worker's first pass (nothing queued) is over; it now waits for a signal
            var clock = Stopwatch.StartNew();
            var uploaded = await _host.UploadAsync(functionId, TarGz(tar => FileEntry(tar, "index.js", "module.exports = async ({ res }) => res.empty();")));
            var row = uploaded;
            while (row.Status != "ready" && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
                row = await _host.ReadAsync(uploaded.Id);
            }

            Assert.That(row.Status, Is.EqualTo("ready"), row.BuildLogs);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }
}
