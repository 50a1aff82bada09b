using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class LimitsTests
{
    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public async Task HandlerThatNeverAnswers_TimesOutAndTheProcessTreeIsGone()
    {
        const string code = """
            const { spawn } = require('node:child_process');
            module.exports = async (context) => {
              const child = spawn('sleep', ['60.4173']);
              context.log('child ' + child.pid);
              await new Promise(() => {});
            };
            """;

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, functionId: "fun_timeout", timeoutSeconds: 1));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.TimedOut));
        Assert.That(result.Errors, Does.Contain("timed out"));
        Assert.That(result.Duration, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(Directory.Exists($"/proc/{result.ProcessId}"), Is.False, "the runtime process must be killed");
        Assert.That(Directory.GetDirectories("/proc").Select(d => ReadCmdline(d)).Any(c => c == "sleep\060.4173\0"), Is.False, "its children too (a duration no other test uses)");
        await AssertStillServes();
    }

    [Test]
    public async Task PythonTimeout_KillsTheProcess()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py",
            "import time\ndef main(context):\n    time.sleep(60)\n", functionId: "fun_timeout_py", timeoutSeconds: 1));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.TimedOut));
        Assert.That(Directory.Exists($"/proc/{result.ProcessId}"), Is.False);
    }

    [Test]
    public async Task NodeMemoryHog_IsKilledWithOutOfMemoryError()
    {
        const string code = """
            module.exports = async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random())); };
            """;

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, functionId: "fun_hog", timeoutSeconds: 30, specification: "s-1vcpu-128mb"));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.ProcessExited), result.Errors);
        Assert.That(result.Errors, Does.Contain("out of memory"));
        await AssertStillServes();
    }

    [Test]
    public async Task PythonMemoryHog_Fails()
    {
        const string code = "def main(context):\n    keep = []\n    while True:\n        keep.append(bytearray(50_000_000))\n";

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py", code, functionId: "fun_hog_py", timeoutSeconds: 30, specification: "s-1vcpu-128mb"));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Does.Contain("MemoryError").Or.Contain("out of memory"));
    }

    [Test]
    public async Task HugeBodyAndLogs_AreCappedAndMarked()
    {
        const string code = """
            module.exports = async ({ res, log }) => {
              const line = 'x'.repeat(1023);
              for (let i = 0; i < 3000; i++) log(line);
              return res.text('y'.repeat(3 * 1024 * 1024));
            };
            """;

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, functionId: "fun_big"));

        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.That(result.Body, Has.Length.EqualTo(RuntimeResult.MaxBodyBytes));
        Assert.That(result.BodyTruncated, Is.True);
        Assert.That(result.Errors, Does.Contain("Response truncated"));
        Assert.That(result.Logs.Length, Is.LessThan(RuntimeResult.MaxLogBytes + 200));
        Assert.That(result.Logs, Does.EndWith("Logs truncated. The output exceeded 1048576 bytes.\n"));
    }

    [Test]
    public async Task HundredMegabytesToStdout_IsCappedAndTheProcessStaysUsable()
    {
        const string code = """
            module.exports = async ({ res }) => {
              const chunk = 'z'.repeat(1 << 20);
              for (let i = 0; i < 100; i++) process.stdout.write(chunk);
              return res.text('ok');
            };
            """;
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, functionId: "fun_stdout");

        var result = await Host.RunAsync(invocation);

        Assert.That(result.BodyText, Is.EqualTo("ok"), result.Errors);
        Assert.That(result.Logs.Length, Is.LessThan(RuntimeResult.MaxLogBytes + 200));
    }

    [Test]
    public async Task PythonRawFdFlood_IsDrainedAndCapped()
    {
        const string code = "import os\ndef main(context):\n    block = b'z' * (1 << 20)\n    for _ in range(100):\n        os.write(1, block)\n    print('x' * (2 << 20))\n    return context.res.text('ok')\n";

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py", code, functionId: "fun_stdout_py", timeoutSeconds: 20));

        Assert.That(result.BodyText, Is.EqualTo("ok"), result.Errors);
        Assert.That(result.Logs.Length, Is.LessThan(RuntimeResult.MaxLogBytes + 200));
    }

    [Test]
    public async Task ForkBomb_FailsAndTheExecutorKeepsServing()
    {
        const string code = """
            const { spawn } = require('node:child_process');
            module.exports = async ({ res }) => {
              for (let i = 0; i < 2000; i++) { try { spawn('sleep', ['30']); } catch {} }
              await new Promise(() => {});
            };
            """;

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, functionId: "fun_forkbomb", timeoutSeconds: 2));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(Directory.Exists($"/proc/{result.ProcessId}"), Is.False);
        await AssertStillServes();
    }

    [Test]
    public async Task ConcurrencyLimitPerFunction_QueuesBrieflyThenRefusesWith429()
    {
        using var host = new RuntimeTestHost(o => { o.MaxConcurrencyPerFunction = 1; o.QueueTimeoutMs = 200; });
        var slow = RuntimeTestHost.Invocation(host.NodeId, "index.js",
            "module.exports = async ({ res }) => { await new Promise(r => setTimeout(r, 1500)); return res.text('slow'); };", functionId: "fun_limited");

        var first = host.RunAsync(slow);
        await Task.Delay(100);

        Assert.ThrowsAsync<TooManyRequestsException>(() => host.RunAsync(slow));
        Assert.That((await first).BodyText, Is.EqualTo("slow"));
        var other = await host.RunAsync(slow with { FunctionId = "fun_other", Code = CodeBundle.FromFiles("index.js", [new("index.js", "module.exports = async ({ res }) => res.text('free');")]) });
        Assert.That(other.BodyText, Is.EqualTo("free"));
    }

    internal static async Task AssertStillServes()
    {
        var ok = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", "module.exports = async ({ res }) => res.text('alive');", functionId: "fun_alive"));
        Assert.That(ok.BodyText, Is.EqualTo("alive"), ok.Errors);
    }

    private static string ReadCmdline(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
