using System.Diagnostics;
using System.Runtime.InteropServices;
using FunctionsPlatform.Application.Abstractions.Deployments;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Runs build commands with <c>bash -c</c> (else <c>sh -c</c>) in the build directory, as a new session (its own process
/// group), with an environment made of PATH, HOME (the build directory) and the deployment's variables only, and stdin
/// closed. Not sandboxed yet: the sandboxed runner replaces it behind <see cref="IBuildCommandRunner"/>. On timeout or
/// cancel the whole group and the process tree are killed.
/// </summary>
internal sealed class ProcessBuildCommandRunner(ILogger<ProcessBuildCommandRunner> logger) : IBuildCommandRunner
{
    private const int SigKill = 9;

    public async Task<BuildCommandResult> RunAsync(BuildCommandRequest request, Action<string> output, CancellationToken ct)
    {
        var shell = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";
        var setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : null;
        var start = new ProcessStartInfo(setsid ?? shell)
        {
            WorkingDirectory = request.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add(shell);
        }

        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(request.Commands);
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = request.WorkingDirectory;
        start.Environment["LANG"] = "C.UTF-8";
        foreach (var (key, value) in request.Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new IOException("The build shell did not start.");
        process.StandardInput.Close();
        var reading = Task.WhenAll(PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output));
        using var timeout = new CancellationTokenSource(request.Timeout);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await process.WaitForExitAsync(either.Token);
            await reading;
            return new BuildCommandResult(process.ExitCode, false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await reading.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            ct.ThrowIfCancellationRequested();
            return new BuildCommandResult(-1, true);
        }
    }

    private void Kill(Process process)
    {
        try
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                _ = KillGroup(-process.Id, SigKill); // the session: children that left the tree but not the group
            }

            process.Kill(entireProcessTree: true);
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int KillGroup(int pid, int signal);
}
