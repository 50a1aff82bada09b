using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>Per-process concurrency: several requests on one warm process, each with its own logs, answer and timeout.</summary>
public sealed class ProcessConcurrencyTests
{
    private const string NodeSleeper = """
        module.exports = async ({ req, res, log }) => {
          const ms = Number(req.path.slice(1)) || 0;
          console.log('start ' + req.path);
          await new Promise((r) => setTimeout(r, ms));
          log('end ' + req.path);
          return res.json({ pid: process.pid, path: req.path });
        };
        """;

    private const string PythonSleeper = """
        import asyncio, os

        async def main(context):
            ms = int(context.req.path[1:] or 0)
            print('start ' + context.req.path)
            await asyncio.sleep(ms / 1000)
            context.log('end ' + context.req.path)
            return context.res.json({'pid': os.getpid(), 'path': context.req.path})
        """;

    private const string PythonSyncSleeper = """
        import os, time

        def main(context):
            ms = int(context.req.path[1:] or 0)
            print('start ' + context.req.path)
            time.sleep(ms / 1000)
            return context.res.json({'pid': os.getpid(), 'path': context.req.path})
        """;

    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public async Task Node_FourRequestsAtOnce_ShareOneProcessWithTheirOwnLogs()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", NodeSleeper, functionId: "fun_conc_node") with { ProcessConcurrency = 4 };
        await Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/0") }); // warm

        var results = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", $"/{400 + (i * 10)}") })));

        AssertSharedAndOwnLogs(results);
    }

    [Test]
    public async Task Python_AsyncHandler_FourRequestsAtOnce_ShareOneProcessWithTheirOwnLogs()
    {
        var invocation = RuntimeTestHost.Invocation(Host.PythonId, "main.py", PythonSleeper, functionId: "fun_conc_py") with { ProcessConcurrency = 4 };
        await Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/0") });

        var results = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", $"/{400 + (i * 10)}") })));

        AssertSharedAndOwnLogs(results);
    }

    [Test]
    public async Task Python_SyncHandler_RunsOnWorkerThreadsOfOneProcess()
    {
        var invocation = RuntimeTestHost.Invocation(Host.PythonId, "main.py", PythonSyncSleeper, functionId: "fun_conc_pysync") with { ProcessConcurrency = 3 };
        await Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/0") });

        var results = await Task.WhenAll(Enumerable.Range(1, 3).Select(i => Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", $"/{300 + i}") })));

        Assert.That(results.Select(r => r.Failure), Is.All.EqualTo(RuntimeFailure.None), string.Join("\n", results.Select(r => r.Errors)));
        Assert.That(results.Select(r => r.ProcessId).Distinct().Count(), Is.EqualTo(1));
        Assert.That(results.Select(r => r.Logs.Trim()), Is.EquivalentTo(new[] { "start /301", "start /302", "start /303" }));
    }

    [Test]
    public async Task Timeout_KillsTheProcess_AndFailsItsOtherRequestsWithAPlatformError()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", NodeSleeper, functionId: "fun_conc_timeout", timeoutSeconds: 1) with { ProcessConcurrency = 2 };
        var warm = await Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/0") });

        var slow = Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/5000"), Limits = invocation.Limits with { Timeout = TimeSpan.FromSeconds(30) } });
        await Task.Delay(200);
        var hung = await Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/5000") });
        var other = await slow;

        Assert.That(hung.Failure, Is.EqualTo(RuntimeFailure.TimedOut));
        Assert.That(other.Failure, Is.EqualTo(RuntimeFailure.ProcessExited));
        Assert.That(other.Errors, Does.Contain("another execution on it timed out"));
        Assert.That((hung.ProcessId, other.ProcessId), Is.EqualTo((warm.ProcessId, warm.ProcessId)));
        var next = await Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/0") });
        Assert.That(next.Succeeded, Is.True);
        Assert.That(next.ProcessId, Is.Not.EqualTo(warm.ProcessId));
    }

    [Test]
    public async Task ColdBurst_StartsSharedProcessesOneAtATime_NotOnePerCaller()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", NodeSleeper, functionId: "fun_conc_burst") with { ProcessConcurrency = 4 };

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", $"/{300 + i}") })));

        Assert.That(results.Select(r => r.Failure), Is.All.EqualTo(RuntimeFailure.None), string.Join("\n", results.Select(r => r.Errors)));
        Assert.That(results.Select(r => r.ProcessId).Distinct().Count(), Is.InRange(1, 2), "eight callers, four per process");
        Assert.That(results.Count(r => r.ColdStart), Is.InRange(1, 2));
    }

    [Test]
    public async Task ConcurrencyOne_IsTheDefault_AndStartsAProcessPerConcurrentRequest()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", NodeSleeper, functionId: "fun_conc_one");

        var results = await Task.WhenAll(Enumerable.Range(1, 2).Select(i => Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", $"/{300 + i}") })));

        Assert.That(invocation.ProcessConcurrency, Is.EqualTo(1));
        Assert.That(results.Select(r => r.ProcessId).Distinct().Count(), Is.EqualTo(2));
    }

    private static void AssertSharedAndOwnLogs(RuntimeResult[] results)
    {
        Assert.That(results.Select(r => r.Failure), Is.All.EqualTo(RuntimeFailure.None), string.Join("\n", results.Select(r => r.Errors)));
        Assert.That(results.Select(r => r.ProcessId).Distinct().Count(), Is.EqualTo(1), "one process served all four");
        foreach (var result in results)
        {
            var path = System.Text.Json.JsonDocument.Parse(result.BodyText).RootElement.GetProperty("path").GetString();
            Assert.That(result.Logs, Is.EqualTo($"start {path}\nend {path}\n"), "each request keeps its own logs");
        }
    }
}
