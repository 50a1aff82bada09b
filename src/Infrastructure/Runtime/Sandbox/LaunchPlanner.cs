using System.Globalization;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>What to exec for one runtime process, and the paths it uses.</summary>
internal sealed record LaunchPlan(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, string SocketPath, string RunDirectory);

/// <summary>
/// Builds the command line of a runtime process: [cgroup attach] → prlimit → [bwrap] → interpreter → adapter.
/// Each layer execs the next, so the pid the executor holds is the tree's root and the cgroup holds all of it.
/// </summary>
internal sealed class LaunchPlanner(string? bubblewrapPath, bool allowNetwork, string adapterRoot)
{
    private const string SandboxCode = "/code";
    private const string SandboxAdapters = "/opt/fp-adapters";
    private const string SandboxRun = "/run/fp";
    private static readonly string[] SystemDirectories = ["/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin"];
    private static readonly string[] EtcEntries =
    [
        "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates", "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf",
        "/etc/passwd", "/etc/group", "/etc/localtime", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/mime.types",
    ];

    private readonly string? _prlimit = RuntimeCatalog.FindOnPath("prlimit");

    public bool Sandboxed => bubblewrapPath is not null;

    public LaunchPlan Plan(RuntimeInfo runtime, string bundleDirectory, string entrypointPath, RuntimeLimits limits, CgroupHandle? cgroup)
    {
        // Unix socket paths are limited to 108 bytes: keep the run directory short and outside the data directory.
        var runDirectory = Path.Combine(Path.GetTempPath(), "fp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(runDirectory);
        var socketPath = Path.Combine(runDirectory, "s");
        var adapterDirectory = Path.Combine(adapterRoot, runtime.Key);
        var hostEntrypoint = entrypointPath;

        var inner = new List<string>();
        string workingDirectory;
        if (bubblewrapPath is not null)
        {
            inner.AddRange(BubblewrapArguments(runtime, bundleDirectory, adapterDirectory, runDirectory));
            workingDirectory = "/";
            adapterDirectory = SandboxAdapters;
            entrypointPath = SandboxCode + "/" + Path.GetRelativePath(bundleDirectory, entrypointPath).Replace('\\', '/');
            socketPath = SandboxRun + "/s";
        }
        else
        {
            workingDirectory = bundleDirectory;
        }

        inner.Add(runtime.ExecutablePath);
        inner.AddRange(InterpreterArguments(runtime, limits, cgroup is not null, hostEntrypoint));
        inner.Add(Path.Combine(adapterDirectory, runtime.Key == "node" ? "adapter.cjs" : "adapter.py"));
        inner.Add(socketPath);
        inner.Add(entrypointPath);

        var command = new List<string>();
        if (_prlimit is not null)
        {
            command.Add(_prlimit);
            command.AddRange(RlimitArguments(runtime, limits));
            command.Add("--");
        }

        command.AddRange(inner);
        if (cgroup is not null)
        {
            // The shell writes its own pid into every group, then execs: user code never runs outside the limits.
            var attach = new List<string> { "-c", "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 97; shift; done; shift; exec \"$@\"", "fp-attach" };
            attach.AddRange(cgroup.ProcsFiles);
            attach.Add("--");
            attach.AddRange(command);
            return new LaunchPlan("/bin/sh", attach, workingDirectory, Path.Combine(runDirectory, "s"), runDirectory);
        }

        return new LaunchPlan(command[0], command.Skip(1).ToList(), workingDirectory, Path.Combine(runDirectory, "s"), runDirectory);
    }

    private static IEnumerable<string> InterpreterArguments(RuntimeInfo runtime, RuntimeLimits limits, bool memoryCgroup, string entrypointPath)
    {
        if (runtime.Key == "node")
        {
            // Heap flags cost node ~40 ms of start-up: only needed when no memory cgroup bounds the process.
            if (!memoryCgroup)
            {
                yield return "--max-old-space-size=" + Math.Max(32, limits.MemoryMb * 3 / 4).ToString(CultureInfo.InvariantCulture);
            }

            if (int.TryParse(runtime.Version, out var major) && major is >= 20 and < 22 && EsmSyntax.LooksLikeEsmInPlainJs(entrypointPath))
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

    private static IEnumerable<string> RlimitArguments(RuntimeInfo runtime, RuntimeLimits limits)
    {
        yield return "--nofile=1024:1024";
        yield return "--core=0";
        yield return "--fsize=" + (64L << 20).ToString(CultureInfo.InvariantCulture);
        if (runtime.Key != "node")
        {
            // RLIMIT_AS breaks V8's address-space reservations; for Python it is the memory bound without cgroups.
            var bytes = ((long)limits.MemoryMb + 64) << 20;
            yield return "--as=" + bytes.ToString(CultureInfo.InvariantCulture);
        }
    }

    private IEnumerable<string> BubblewrapArguments(RuntimeInfo runtime, string bundleDirectory, string adapterDirectory, string runDirectory)
    {
        var args = new List<string> { bubblewrapPath!, "--die-with-parent", "--new-session", "--unshare-all", "--cap-drop", "ALL" };
        if (allowNetwork)
        {
            args.Add("--share-net");
        }

        foreach (var dir in SystemDirectories.Where(Path.Exists))
        {
            args.AddRange(IsSymlink(dir) ? ["--symlink", new FileInfo(dir).LinkTarget!, dir] : ["--ro-bind", dir, dir]);
        }

        foreach (var entry in EtcEntries.Where(Path.Exists))
        {
            args.AddRange(["--ro-bind", entry, entry]);
        }

        // Interpreters installed outside /usr (pyenv, nvm): bind their prefix read-only.
        var prefix = Path.GetDirectoryName(Path.GetDirectoryName(runtime.ExecutablePath));
        if (prefix is not null && prefix != "/" && !SystemDirectories.Any(d => prefix.StartsWith(d + "/", StringComparison.Ordinal) || prefix == d))
        {
            args.AddRange(["--ro-bind", prefix, prefix]);
        }

        args.AddRange([
            "--ro-bind", bundleDirectory, SandboxCode,
            "--ro-bind", adapterDirectory, SandboxAdapters,
            "--bind", runDirectory, SandboxRun,
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--chdir", SandboxCode, "--hostname", "function", "--",
        ]);
        return args;
    }

    private static bool IsSymlink(string path) => new FileInfo(path).LinkTarget is not null;
}
