using System.Diagnostics;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>
/// Requests of a fast function queued behind a busy process (real node processes): each keeps its own timeout, counted
/// from its turn; one queued behind a request whose process dies runs elsewhere; a caller who gives up kills nothing.
/// The host queues once one process is busy and counts a mean run time up to 1 s as fast, so a test can hold requests
/// for hundreds of milliseconds and still see them queue.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "NUnit's [OneTimeTearDown] disposes the host after the fixture.")]
public sealed class QueuedRequestTests
{
    private const string Sleeper = """
        module.exports = async ({ req, res }) => {
          if (req.path === '/spin') { for (;;) {} }
          await new Promise((r) => setTimeout(r, Number(req.path.slice(1)) || 0));
          return res.text('ok');
        };
        """;

    private RuntimeTestHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new RuntimeTestHost(options =>
    {
        options.QueueAfterBusyProcesses = 1;
        options.QueueFastRequest = TimeSpan.FromSeconds(1);
    });

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    [Test]
    public async Task QueuedRequest_RunsOnTheBusyProcess_AndItsTimeoutCountsFromItsTurn()
    {
        var invocation = RuntimeTestHost.Invocation(_host.NodeId, "index.js", Sleeper, functionId: "fun_queue_turn", timeoutSeconds: 1);
        var warm = await Warm(invocation);

        var clock = Stopwatch.StartNew();
        var first = _host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/700") });
        var queued = _host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/600") });
        var results = await Task.WhenAll(first, queued);

        Assert.That(results.Select(r => r.Failure), Is.All.EqualTo(RuntimeFailure.None), string.Join("\n", results.Select(r => r.Errors)));
        Assert.That(results.Select(Pid), Is.All.EqualTo(warm), "the second request waited for the busy process instead of waking another");
        Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(1250)), "they ran one after the other: 1.3 s, past the 1 s timeout");
    }

    [Test]
    public async Task RequestQueuedBehindOneThatTimesOut_RunsOnAnotherProcess()
    {
        var invocation = RuntimeTestHost.Invocation(_host.NodeId, "index.js", Sleeper, functionId: "fun_queue_timeout", timeoutSeconds: 1);
        var warm = await Warm(invocation);

        var spinning = _host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/spin") });
        var queued = _host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/0") });
        var (timedOut, served) = (await spinning, await queued);

        Assert.That(timedOut.Failure, Is.EqualTo(RuntimeFailure.TimedOut));
        Assert.That(served.Failure, Is.EqualTo(RuntimeFailure.None), served.Errors);
        Assert.That(Pid(served), Is.Not.EqualTo(warm), "the killed process never ran it; a new one did");
        Assert.That(Directory.Exists($"/proc/{warm}"), Is.False);
    }

    [Test]
    public async Task CallerWhoGivesUp_LeavesTheProcessWarm_ForTheNextCall()
    {
        var invocation = RuntimeTestHost.Invocation(_host.NodeId, "index.js", Sleeper, functionId: "fun_queue_gave_up");
        var warm = await Warm(invocation);

        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.That(
            async () => await _host.Executor.ExecuteAsync(invocation with { Request = RuntimeRequest.Create("GET", "/400") }, giveUp.Token),
            Throws.InstanceOf<OperationCanceledException>());
        await Task.Delay(600); // the abandoned request ends and gives its process back
        var next = await _host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/0") });

        Assert.That(next.ColdStart, Is.False);
        Assert.That(Pid(next), Is.EqualTo(warm));
    }

    /// <summary>A few quick calls: the function's process is warm and its mean run time fast.</summary>
    private async Task<int> Warm(RuntimeInvocation invocation)
    {
        var pid = 0;
        for (var i = 0; i < 3; i++)
        {
            var result = await _host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/0") });
            Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.None), result.Errors);
            pid = Pid(result);
        }

        return pid;
    }

    /// <summary>The process's pid on the host (inside the sandbox every process is pid 1 or 2 of its own namespace).</summary>
    private static int Pid(RuntimeResult result) => result.ProcessId;
}
