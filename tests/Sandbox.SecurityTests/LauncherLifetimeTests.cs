using System.Diagnostics;
using FunctionsPlatform.Infrastructure.Runtime.Sandbox;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>
/// bwrap's <c>--die-with-parent</c> kills the sandbox when the thread that forked it ends, not only the server: a
/// runtime must outlive whichever thread asked for it (thread-pool threads retire after 20 s idle).
/// </summary>
public sealed class LauncherLifetimeTests
{
    [Test]
    public void SandboxLaunchedFromAThreadThatEnds_KeepsRunning()
    {
        SharedSandbox.Require(SharedSandbox.Host);
        Process? sandbox = null;
        var asker = new Thread(() =>
        {
            var launcher = ParkedLauncher.ParkAsync(null, TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult();
            sandbox = launcher.LaunchAsync(
                "exec bwrap --die-with-parent --new-session --unshare-pid --ro-bind / / --proc /proc --dev /dev -- /bin/sh -c 'echo up; exec sleep 60'\n")
                .GetAwaiter().GetResult();
            // bwrap has set its parent-death signal once the sandboxed shell speaks; then this thread ends.
            Assert.That(sandbox.StandardOutput.ReadLine(), Is.EqualTo("up"));
        });
        asker.Start();
        asker.Join();

        try
        {
            Assert.That(sandbox!.WaitForExit(1500), Is.False, $"the sandbox died with the thread that asked for it (exit code {(sandbox.HasExited ? sandbox.ExitCode : 0)})");
        }
        finally
        {
            sandbox?.Kill(entireProcessTree: true);
            sandbox?.Dispose();
        }
    }

    [Test]
    public async Task FunctionProcessStartedForACallerThatEnds_ServesTheNextCall()
    {
        var host = SharedSandbox.Host;
        SharedSandbox.Require(host);
        const string code = "module.exports = async ({ res }) => res.text(String(process.pid));";
        Application.Abstractions.Runtime.RuntimeResult? first = null;
        var caller = new Thread(() => first = host.RunAsync("node", code, "fn_thread_ends").GetAwaiter().GetResult());
        caller.Start();
        caller.Join();
        await Task.Delay(1500);

        var second = await host.RunAsync("node", code, "fn_thread_ends");

        Assert.That(first!.StatusCode, Is.EqualTo(200), first.Errors);
        Assert.That(second.StatusCode, Is.EqualTo(200), second.Errors);
        Assert.That(second.ProcessId, Is.EqualTo(first.ProcessId), "the warm process is still the one that served the first call");
    }
}
