using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Infrastructure.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Processes;
using FunctionsPlatform.Infrastructure.Runtime.Sandbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Runs build commands with <c>bash -c</c> in the executions' sandbox: a launcher parked in fresh cgroups (memory, CPU,
/// pids) execs bubblewrap with the same hardening and seccomp program, setpriv drops to the sandbox user, and the build
/// directory is the only writable place besides a private tmpfs <c>/tmp</c>, bound at <see cref="SandboxBuildDirectory"/>
/// as Appwrite's build containers have it. Nothing of the server's data directory is mounted. Without bubblewrap the
/// commands run as executions do then: cgroups and rlimits, a scrubbed environment, no namespaces.
/// The build ends when the shell exits (every process it left is killed with the cgroup), when the time runs out, or when
/// the work directory grows past <see cref="BuildSettings.MaxOutputBytes"/>.
/// </summary>
internal sealed class SandboxedBuildCommandRunner(
    ProcessRuntimeExecutor executor,
    RuntimeCatalog catalog,
    IOptions<RuntimeOptions> runtimeOptions,
    BuildSettings settings,
    ILogger<SandboxedBuildCommandRunner> logger) : IBuildCommandRunner
{
    /// <summary>Where the build's commands run and what becomes the artifact (Appwrite's build directory).</summary>
    public const string SandboxBuildDirectory = "/usr/local/build";

    private const string SafePath = "/usr/local/bin:/usr/bin:/bin";
    private const int SigKill = 9;
    private static readonly TimeSpan MeasureInterval = TimeSpan.FromMilliseconds(200);

    public async Task<BuildCommandResult> RunAsync(BuildCommandRequest request, Action<string> output, CancellationToken ct)
    {
        var sandbox = executor.Sandbox;
        var owner = sandbox?.User;
        if (owner is not null)
        {
            BuildDirectoryTree.HandTo(request.WorkingDirectory, owner);
        }

        var cgroup = executor.CgroupControl.Create();
        cgroup?.Limit(request.Cpus, request.MemoryMb, settings.PidsMax);
        cgroup?.Weight(settings.CpuShares);
        try
        {
            ParkedLauncher launcher;
            try
            {
                launcher = await ParkedLauncher.ParkAsync(cgroup, TimeSpan.FromSeconds(30), ct);
            }
            catch (RuntimeSpawnException ex)
            {
                logger.LogError(ex, "Build of deployment {DeploymentId} could not start", request.DeploymentId);
                return new BuildCommandResult(-1, false, "The build could not start on this server.");
            }

            using var process = await launcher.LaunchAsync(Script(request, sandbox));
            return await SuperviseAsync(process, cgroup, request, output, ct);
        }
        finally
        {
            cgroup?.KillAll();
            cgroup?.Remove();
            BuildDirectoryTree.TakeBack(request.WorkingDirectory, owner is not null);
        }
    }

    private async Task<BuildCommandResult> SuperviseAsync(
        Process process, CgroupHandle? cgroup, BuildCommandRequest request, Action<string> output, CancellationToken ct)
    {
        var reading = Task.WhenAll(PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output));
        using var timeout = new CancellationTokenSource(request.Timeout);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(either.Token);
        var tooLarge = WatchSizeAsync(request.WorkingDirectory, watching.Token);
        var exited = process.WaitForExitAsync(either.Token);
        var first = await Task.WhenAny(exited, tooLarge);
        var outgrown = first == tooLarge && await tooLarge;
        var timedOut = !outgrown && timeout.IsCancellationRequested && !ct.IsCancellationRequested;

        await watching.CancelAsync();
        Kill(process, cgroup, executor.Sandbox is not null);
        await process.WaitForExitAsync(CancellationToken.None);
        await reading.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        ct.ThrowIfCancellationRequested();

        if (cgroup?.PidsLimitReached == true)
        {
            output($"\nThe build reached its limit of {settings.PidsMax} processes: forks were refused.\n");
        }

        if (cgroup?.OutOfMemory == true)
        {
            output($"\nThe build ran out of memory (limit {request.MemoryMb} MB): a process was killed.\n");
        }

        if (outgrown || (!timedOut && BuildDirectoryTree.Measure(request.WorkingDirectory, settings.MaxOutputBytes) > settings.MaxOutputBytes))
        {
            return new BuildCommandResult(-1, false, $"The build output exceeds the limit of {settings.MaxOutputBytes} bytes.");
        }

        if (timedOut)
        {
            return new BuildCommandResult(-1, true);
        }

        if (BuildDirectoryTree.FindSpecialFile(request.WorkingDirectory) is { } special)
        {
            return new BuildCommandResult(-1, false, $"The build output holds '{special}', which is not a regular file, directory or symbolic link.");
        }

        var exitCode = process.ExitCode;
        if (exitCode == LaunchPlanner.LaunchFailedExitCode)
        {
            logger.LogError("Build of deployment {DeploymentId}: the sandbox did not start", request.DeploymentId);
        }

        return exitCode == 128 + 25 // SIGXFSZ: one file reached the size limit
            ? new BuildCommandResult(exitCode, false, $"The build output exceeds the limit of {settings.MaxOutputBytes} bytes (a file reached it).")
            : new BuildCommandResult(exitCode, false);
    }

    /// <summary>True once the work directory is larger than the output limit; false when stopped first.</summary>
    private async Task<bool> WatchSizeAsync(string directory, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (BuildDirectoryTree.Measure(directory, settings.MaxOutputBytes) > settings.MaxOutputBytes)
                    {
                        return true;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The tree changed under the walk: measured again at the next round.
                }

                // A huge tree is walked less often: at most a fifth of the time goes to measuring.
                var walk = Stopwatch.GetElapsedTime(started);
                await Task.Delay(MeasureInterval + (walk * 4), ct);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>rlimits (no core files; one file at most the output limit) → exec [bwrap → setpriv] → bash -c commands.</summary>
    private string Script(BuildCommandRequest request, SandboxProfile? sandbox)
    {
        var shell = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";
        var runtime = catalog.Find(request.RuntimeId);
        var prefix = runtime is null ? null : SandboxArguments.InterpreterPrefix(runtime.ExecutablePath);
        var environment = Environment(request, runtime, prefix);
        List<string> command;
        string workingDirectory;
        if (sandbox is not null)
        {
            var builder = SandboxArguments.Start(sandbox, environment, prefix is null ? [] : [prefix], SandboxBuildDirectory);
            builder.Arguments.AddRange(["--bind", request.WorkingDirectory, SandboxBuildDirectory]);
            command = builder.Finish(settings.TmpSizeMb, SandboxBuildDirectory, "build");
            workingDirectory = "/";
        }
        else
        {
            command = ["/usr/bin/env", "-i", .. environment.Select(v => v.Key + "=" + v.Value)];
            if (File.Exists("/usr/bin/setsid"))
            {
                command.Insert(0, "/usr/bin/setsid"); // its own process group, killed whole at the end
            }

            workingDirectory = request.WorkingDirectory;
        }

        command.AddRange([shell, "-c", request.Commands]);
        // One block over the limit: a file cut short by the rlimit is still measured as too large.
        var fileBlocks = ((settings.MaxOutputBytes / 512) + 1).ToString(CultureInfo.InvariantCulture);
        var script = new StringBuilder("ulimit -n 4096 && ulimit -c 0 && ulimit -f ").Append(fileBlocks)
            .Append(" && cd ").Append(LaunchPlanner.ShellQuote(workingDirectory)).Append(" && exec");
        foreach (var argument in command)
        {
            script.Append(' ').Append(LaunchPlanner.ShellQuote(argument));
        }

        if (sandbox is not null)
        {
            script.Append(' ').Append(SandboxArguments.SeccompFd + "<").Append(LaunchPlanner.ShellQuote(sandbox.SeccompFilterPath));
        }

        return script.Append(" || exit ").Append(LaunchPlanner.LaunchFailedExitCode.ToString(CultureInfo.InvariantCulture)).Append('\n').ToString();
    }

    /// <summary>
    /// The function's variables and platform variables (from the request), then what only the host knows, set last so no
    /// variable replaces it: the runtime's name and version, the build's CPUs and memory, PATH, HOME and TMPDIR in <c>/tmp</c>
    /// (package caches stay out of the artifact).
    /// </summary>
    private Dictionary<string, string> Environment(BuildCommandRequest request, Application.Abstractions.Runtime.RuntimeInfo? runtime, string? prefix)
    {
        var environment = new Dictionary<string, string>(request.Environment, StringComparer.Ordinal)
        {
            ["PATH"] = prefix is null ? SafePath : prefix + "/bin:" + SafePath,
            ["HOME"] = "/tmp",
            ["TMPDIR"] = "/tmp",
            ["LANG"] = "C.UTF-8",
            ["CI"] = "true",
            ["APPWRITE_FUNCTION_API_ENDPOINT"] = runtimeOptions.Value.ApiEndpoint,
            ["APPWRITE_VERSION"] = ProcessRuntimeExecutor.AppwriteVersion,
            ["APPWRITE_REGION"] = "default",
            ["APPWRITE_FUNCTION_CPUS"] = request.Cpus.ToString(CultureInfo.InvariantCulture),
            ["APPWRITE_FUNCTION_MEMORY"] = request.MemoryMb.ToString(CultureInfo.InvariantCulture),
        };
        if (runtime is not null)
        {
            environment["APPWRITE_FUNCTION_RUNTIME_NAME"] = runtime.Name;
            environment["APPWRITE_FUNCTION_RUNTIME_VERSION"] = runtime.Version;
        }

        return environment;
    }

    private void Kill(Process process, CgroupHandle? cgroup, bool sandboxed)
    {
        cgroup?.KillAll();
        if (cgroup is null && !sandboxed)
        {
            // Neither a cgroup nor a pid namespace holds what the commands left: their process group (setsid) does.
            _ = KillGroup(-process.Id, SigKill);
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            logger.LogDebug(ex, "Build process {Pid} was gone before it was killed", process.Id);
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> output)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            output(new string(buffer, 0, read));
        }
    }

#pragma warning disable SYSLIB1054, CA5392 // one libc call; LibraryImport would need unsafe blocks
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int KillGroup(int pid, int signal);
#pragma warning restore SYSLIB1054, CA5392
}
