using System.Diagnostics;
using System.Text;
using FunctionsPlatform.Infrastructure.Runtime.Processes;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>
/// A <c>/bin/sh</c> that has already moved itself into its cgroups and waits on stdin for the one line that execs a
/// runtime process (<see cref="LaunchPlan.Script"/>). Parking ahead of demand takes the cgroup attach off the cold
/// path: on v1 each <c>cgroup.procs</c> write waits for an RCU grace period (~4 ms per hierarchy, more under load).
/// </summary>
internal sealed class ParkedLauncher : IDisposable
{
    private const string ParkedLine = "FP-PARKED";
    private const int AttachFailedExitCode = 97;

    // The pid goes into every group before the shell does anything else; the exec line comes later on stdin.
    private const string AttachScript = "for f; do echo $$ > \"$f\" || exit 97; done; echo " + ParkedLine + "\n";

    private readonly Process _process;
    private int _handedOver;

    private ParkedLauncher(Process process, CgroupHandle? cgroup)
    {
        _process = process;
        Cgroup = cgroup;
    }

    public CgroupHandle? Cgroup { get; }

    public int ProcessId => _process.Id;

    public bool IsAlive => !_process.HasExited;

    /// <summary>Starts the shell in an empty environment and waits until it sits in <paramref name="cgroup"/>'s groups.</summary>
    public static async Task<ParkedLauncher> ParkAsync(CgroupHandle? cgroup, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("-s");
        info.ArgumentList.Add("--");
        foreach (var file in cgroup?.ProcsFiles ?? [])
        {
            info.ArgumentList.Add(file);
        }

        info.Environment.Clear();
        Process process;
        try
        {
            process = await SpawnThread.StartAsync(info);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            cgroup?.Remove();
            throw new RuntimeSpawnException($"Could not start /bin/sh: {ex.Message}", ex);
        }

        var launcher = new ParkedLauncher(process, cgroup);
        try
        {
            await process.StandardInput.WriteAsync(AttachScript);
            await process.StandardInput.FlushAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var line = await process.StandardOutput.ReadLineAsync(deadline.Token);
            if (line != ParkedLine)
            {
                await process.WaitForExitAsync(deadline.Token);
                var reason = process.ExitCode == AttachFailedExitCode ? "could not join its cgroups" : $"exited with code {process.ExitCode}";
                throw new RuntimeSpawnException($"The launcher {reason}. {await process.StandardError.ReadToEndAsync(deadline.Token)}".Trim());
            }

            return launcher;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            launcher.Dispose();
            throw cancellationToken.IsCancellationRequested ? ex : new RuntimeSpawnException($"The launcher did not park: {ex.Message}", ex);
        }
        catch
        {
            launcher.Dispose();
            throw;
        }
    }

    /// <summary>Sends the exec line and hands the process over: from then on it is the runtime process, owned by the caller.</summary>
    public Task<Process> LaunchAsync(LaunchPlan plan) => LaunchAsync(plan.Script);

    /// <summary>Sends <paramref name="script"/> (it ends in an exec) and hands the process over, as <see cref="LaunchAsync(LaunchPlan)"/>.</summary>
    public async Task<Process> LaunchAsync(string script)
    {
        await _process.StandardInput.WriteAsync(script);
        _process.StandardInput.Close();
        Volatile.Write(ref _handedOver, 1);
        return _process;
    }

    /// <summary>Kills a launcher that was not handed over, and removes its groups; a no-op after <see cref="LaunchAsync"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _handedOver, 1) == 1)
        {
            return;
        }

        try
        {
            _process.Kill();
            _process.WaitForExit(2000);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        _process.Dispose();
        Cgroup?.Remove();
    }
}
