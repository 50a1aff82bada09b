using System.Globalization;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>
/// What a parked launcher runs for one runtime process: <see cref="Script"/> sets the rlimits and execs the sandbox and
/// interpreter with the function's environment; the paths are the run directory (host side) and its socket.
/// </summary>
internal sealed record LaunchPlan(string Script, string SocketPath, string RunDirectory);

/// <summary>
/// How sandboxed code runs. <see cref="SetprivPath"/> and <see cref="User"/> are set when the server is root: bwrap then
/// sets up the mounts with root's privileges (no user namespace) and setpriv drops to the sandbox user, with no
/// capabilities left in any set, before the interpreter starts. Otherwise bwrap runs unprivileged in a user namespace.
/// </summary>
internal sealed record SandboxProfile(
    string BubblewrapPath, string? SetprivPath, SandboxUser? User, bool AllowNetwork, string SeccompFilterPath, int TmpSizeMb);

/// <summary>
/// Builds the shell line a parked launcher (already inside the process's cgroups) runs: rlimits (shell builtins, no
/// extra exec) → exec [bwrap → setpriv] → interpreter → adapter. Each layer execs the next, so the launcher's pid is the tree's root.
/// </summary>
internal sealed class LaunchPlanner(SandboxProfile? sandbox, string adapterRoot)
{
    /// <summary>Exit code of a launcher whose rlimits or exec failed.</summary>
    public const int LaunchFailedExitCode = 96;

    private const string SandboxCode = "/code";
    private const string SandboxAdapters = "/opt/fp-adapters";
    private const string SandboxRun = "/run/fp";
    private const string EnvPath = "/usr/bin/env";

    private const string SeccompFd = SandboxArguments.SeccompFd;

    public bool Sandboxed => sandbox is not null;

    /// <summary>Where the bundle's files appear inside the sandbox.</summary>
    public static string SandboxEntrypoint(string bundleDirectory, string entrypointPath) =>
        SandboxCode + "/" + Path.GetRelativePath(bundleDirectory, entrypointPath).Replace('\\', '/');

    /// <summary>
    /// Whether a generic process (started without an entrypoint) runs the interpreter exactly as a process started for
    /// this entrypoint would: no entrypoint-specific flags (node 20–21 needs one for ESM syntax in a plain .js file).
    /// </summary>
    public static bool SameInterpreterAsGeneric(RuntimeInfo runtime, RuntimeLimits limits, string entrypointPath) =>
        InterpreterArguments(runtime, limits, memoryCgroup: true, entrypointPath).SequenceEqual(InterpreterArguments(runtime, limits, memoryCgroup: true, null));

    /// <summary>
    /// A generic process: sandboxed like any other, with <paramref name="codeView"/> (empty until specialization fills it)
    /// at /code, the adapter given no entrypoint, and the boot environment. The limits are the boot ones; specialization
    /// writes the function's into the cgroups (python's RLIMIT_AS is set by its adapter then).
    /// </summary>
    public LaunchPlan PlanGeneric(RuntimeInfo runtime, string codeView, RuntimeLimits bootLimits, string runDirectory, IReadOnlyDictionary<string, string> environment)
    {
        if (sandbox is null)
        {
            throw new InvalidOperationException("Generic processes need the sandbox: their code view is mounted at /code.");
        }

        return Plan(runtime, codeView, null, bootLimits, memoryCgroup: true, runDirectory, environment);
    }

    public LaunchPlan Plan(
        RuntimeInfo runtime, string bundleDirectory, string? entrypointPath, RuntimeLimits limits, bool memoryCgroup, string runDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var socketPath = Path.Combine(runDirectory, "s");
        var adapterDirectory = Path.Combine(adapterRoot, runtime.Key);
        var hostEntrypoint = entrypointPath;

        var command = new List<string>();
        string workingDirectory;
        if (sandbox is not null)
        {
            command.AddRange(BubblewrapArguments(sandbox, runtime, bundleDirectory, adapterDirectory, runDirectory, environment));
            workingDirectory = "/";
            adapterDirectory = SandboxAdapters;
            entrypointPath = entrypointPath is null ? null : SandboxEntrypoint(bundleDirectory, entrypointPath);
            socketPath = SandboxRun + "/s";
        }
        else
        {
            // env -i: the launcher's own environment (PWD) must not leak into the function's.
            command.AddRange([EnvPath, "-i", .. environment.Select(v => v.Key + "=" + v.Value)]);
            workingDirectory = bundleDirectory;
        }

        command.Add(runtime.ExecutablePath);
        command.AddRange(InterpreterArguments(runtime, limits, memoryCgroup, hostEntrypoint));
        command.Add(Path.Combine(adapterDirectory, runtime.Key == "node" ? "adapter.cjs" : "adapter.py"));
        command.Add(socketPath);
        if (entrypointPath is not null)
        {
            command.Add(entrypointPath);
        }

        var script = new StringBuilder();
        foreach (var rlimit in RlimitCommands(runtime, limits, generic: entrypointPath is null))
        {
            script.Append(rlimit).Append(" && ");
        }

        script.Append("cd ").Append(ShellQuote(workingDirectory)).Append(" && exec");
        foreach (var argument in command)
        {
            script.Append(' ').Append(ShellQuote(argument));
        }

        if (sandbox is not null)
        {
            script.Append(' ').Append(SeccompFd + "<").Append(ShellQuote(sandbox.SeccompFilterPath));
        }

        script.Append(" || exit ").Append(LaunchFailedExitCode.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return new LaunchPlan(script.ToString(), Path.Combine(runDirectory, "s"), runDirectory);
    }

    internal static string ShellQuote(string value) => "'" + value.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";

    private static IEnumerable<string> InterpreterArguments(RuntimeInfo runtime, RuntimeLimits limits, bool memoryCgroup, string? entrypointPath)
    {
        if (runtime.Key == "node")
        {
            // Heap flags cost node ~40 ms of start-up: only needed when no memory cgroup bounds the process.
            if (!memoryCgroup)
            {
                yield return "--max-old-space-size=" + Math.Max(32, limits.MemoryMb * 3 / 4).ToString(CultureInfo.InvariantCulture);
            }

            if (entrypointPath is not null && int.TryParse(runtime.Version, out var major) && major is >= 20 and < 22 && EsmSyntax.LooksLikeEsmInPlainJs(entrypointPath))
            {
                // `export default` in a plain .js file loads as ESM only with this flag before node 22.7.
                yield return "--experimental-detect-module";
                yield return "--no-warnings=ExperimentalWarning";
            }
        }
        else
        {
            yield return "-I";
            yield return "-B";
        }
    }

    /// <summary>dash's ulimit sets soft and hard together; -f counts 512-byte blocks, -v kilobytes.</summary>
    private static IEnumerable<string> RlimitCommands(RuntimeInfo runtime, RuntimeLimits limits, bool generic)
    {
        yield return "ulimit -n 1024";
        yield return "ulimit -c 0";
        yield return "ulimit -f " + ((64L << 20) / 512).ToString(CultureInfo.InvariantCulture);
        if (runtime.Key != "node" && !generic)
        {
            // RLIMIT_AS breaks V8's address-space reservations; for Python it is the memory bound without cgroups.
            var kilobytes = ((long)limits.MemoryMb + 64) << 10;
            yield return "ulimit -v " + kilobytes.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static List<string> BubblewrapArguments(
        SandboxProfile sandbox, RuntimeInfo runtime, string bundleDirectory, string adapterDirectory, string runDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var prefix = SandboxArguments.InterpreterPrefix(runtime.ExecutablePath);
        var builder = SandboxArguments.Start(sandbox, environment, prefix is null ? [] : [prefix]);
        builder.AddParents(SandboxAdapters);
        builder.AddParents(SandboxRun);
        builder.Arguments.AddRange([
            "--ro-bind", bundleDirectory, SandboxCode,
            "--ro-bind", adapterDirectory, SandboxAdapters,
            "--bind", runDirectory, SandboxRun,
        ]);
        return builder.Finish(sandbox.TmpSizeMb, SandboxCode, "function");
    }
}
