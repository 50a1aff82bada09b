using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>The limits are in force before the first line of user code runs: module top level, not only the handler.</summary>
public sealed class LimitsAtLoadTests
{
    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public async Task Node_ModuleTopLevel_RunsUnderTheRlimits()
    {
        const string code = """
            const atLoad = require('node:fs').readFileSync('/proc/self/limits', 'utf8');
            module.exports = async ({ res }) => res.text(atLoad);
            """;

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, functionId: "fun_limits_load_node"));

        Assert.That(result.Succeeded, Is.True, result.Errors);
        AssertCommonRlimits(result.BodyText);
    }

    [Test]
    public async Task Python_ModuleTopLevel_RunsUnderTheRlimits()
    {
        const string code = "AT_LOAD = open('/proc/self/limits').read()\ndef main(context):\n    return context.res.text(AT_LOAD)\n";

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py", code, functionId: "fun_limits_load_py"));

        Assert.That(result.Succeeded, Is.True, result.Errors);
        AssertCommonRlimits(result.BodyText);
        Assert.That(Limit(result.BodyText, "Max address space"), Is.EqualTo(((512L + 64) << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Node_MemoryHogAtModuleTopLevel_FailsToLoadOutOfMemory()
    {
        const string code = """
            const keep = [];
            for (;;) keep.push(new Array(1e6).fill(Math.random()));
            """;

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, functionId: "fun_hog_load", timeoutSeconds: 30, specification: "s-1vcpu-128mb"));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.LoadFailed), result.Errors);
        Assert.That(result.Errors, Does.Contain("out of memory"));
        await LimitsTests.AssertStillServes();
    }

    [Test]
    public async Task Python_ForkBombAtModuleTopLevel_IsStoppedByThePidsLimit()
    {
        using var host = new RuntimeTestHost(o => o.MaxPidsPerProcess = 16);
        Assert.That(host.Executor.Cgroups, Is.Not.EqualTo("none"), "needs writable cgroups");
        const string code = """
            import os, time
            children = 0
            try:
                for _ in range(64):
                    if os.fork() == 0:
                        time.sleep(30)
                        os._exit(0)
                    children += 1
            except OSError as error:
                stopped = error.strerror
            else:
                stopped = 'not stopped'
            def main(context):
                return context.res.text(f'{children} {stopped}')
            """;

        var result = await host.RunAsync(RuntimeTestHost.Invocation(host.PythonId, "main.py", code, functionId: "fun_forks_load"));

        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.That(result.BodyText, Does.Not.Contain("not stopped"));
        Assert.That(int.Parse(result.BodyText.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), Is.LessThan(16));
    }

    private static void AssertCommonRlimits(string limits)
    {
        Assert.That(Limit(limits, "Max open files"), Is.EqualTo("1024"));
        Assert.That(Limit(limits, "Max core file size"), Is.EqualTo("0"));
        Assert.That(Limit(limits, "Max file size"), Is.EqualTo((64L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The hard limit of one row of /proc/self/limits (the soft limit is set to the same value).</summary>
    private static string Limit(string limits, string name)
    {
        var row = limits.Split('\n').Single(l => l.StartsWith(name + "  ", StringComparison.Ordinal));
        var columns = row[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(columns[0], Is.EqualTo(columns[1]), $"{name}: soft and hard limits");
        return columns[1];
    }
}
