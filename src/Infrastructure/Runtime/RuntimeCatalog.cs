using System.Diagnostics;
using FunctionsPlatform.Application.Abstractions.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Infrastructure.Runtime;

/// <summary>Finds node and python3 on the host at start-up, and decides the sandbox.</summary>
internal sealed class RuntimeCatalog : IRuntimeCatalog
{
    public const string SandboxBubblewrap = "bubblewrap";
    public const string SandboxNone = "none";

    private readonly List<RuntimeInfo> _runtimes = [];

    public RuntimeCatalog(IOptions<RuntimeOptions> options, ILogger<RuntimeCatalog> logger)
    {
        var settings = options.Value;
        Discover("node", settings.NodePath, logger);
        Discover("python", settings.PythonPath, logger);
        (Sandbox, BubblewrapPath, SetprivPath) = ChooseSandbox(settings, logger);
    }

    public IReadOnlyList<RuntimeInfo> Runtimes => _runtimes;

    public string? DefaultRuntimeId =>
        _runtimes.Where(r => r.Key == "node").OrderByDescending(r => int.TryParse(r.Version, out var v) ? v : 0).FirstOrDefault()?.Id
        ?? _runtimes.FirstOrDefault()?.Id;

    public string Sandbox { get; }

    public string? BubblewrapPath { get; }

    /// <summary>setpriv (util-linux) when the server is root: it drops sandboxed code to the sandbox user.</summary>
    public string? SetprivPath { get; }

    /// <summary>Exact id, else the key (<c>node</c>), else the same key with any version (<c>node-22</c> asked, <c>node-20</c> installed).</summary>
    public RuntimeInfo? Find(string runtimeId) =>
        _runtimes.FirstOrDefault(r => r.Id == runtimeId)
        ?? _runtimes.FirstOrDefault(r => r.Key == runtimeId)
        ?? _runtimes.FirstOrDefault(r => runtimeId.StartsWith(r.Key + "-", StringComparison.Ordinal));

    /// <summary>Display name reported as <c>APPWRITE_FUNCTION_RUNTIME_NAME</c>.</summary>
    public static string DisplayName(string key) => key == "node" ? "Node.js" : "Python";

    private void Discover(string key, string? configuredPath, ILogger logger)
    {
        var candidate = configuredPath ?? FindOnPath(key == "node" ? "node" : "python3");
        if (candidate is null)
        {
            logger.LogWarning("Runtime {Runtime} not found on PATH", key);
            return;
        }

        // Ask the interpreter for its real executable: version-manager shims (pyenv) cost tens of ms per start.
        var probe = key == "node"
            ? Run(candidate, "-p", "process.execPath + ' ' + process.versions.node")
            : Run(candidate, "-c", "import sys; print(sys.executable, '%d.%d' % sys.version_info[:2])");
        var parts = probe?.Trim().Split(' ');
        if (parts is not { Length: 2 })
        {
            logger.LogWarning("Runtime {Runtime} at {Path} did not answer its version probe", key, candidate);
            return;
        }

        var version = key == "node" ? parts[1].Split('.')[0] : parts[1];
        _runtimes.Add(new RuntimeInfo($"{key}-{version}", key, DisplayName(key), version, parts[0]));
    }

    /// <summary>
    /// bubblewrap when it works here: as root, the probe runs the launch line's own namespaces and uid drop (setpriv to the
    /// sandbox user, every capability dropped), so a host that cannot do them is found at start, not at the first call.
    /// </summary>
    private static (string Sandbox, string? Bubblewrap, string? Setpriv) ChooseSandbox(RuntimeOptions settings, ILogger logger)
    {
        if (string.Equals(settings.Sandbox, SandboxNone, StringComparison.OrdinalIgnoreCase))
        {
            return (SandboxNone, null, null);
        }

        var bwrap = FindOnPath("bwrap");
        var setpriv = Environment.IsPrivilegedProcess ? FindOnPath("setpriv") : null;
        var works = bwrap is not null && (Environment.IsPrivilegedProcess
            ? setpriv is not null && Run(bwrap, [
                "--ro-bind", "/", "/", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-net", "--die-with-parent",
                "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
                setpriv, $"--reuid={settings.SandboxUserId}", $"--regid={settings.SandboxGroupId}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--", "/bin/true"]) is not null
            : Run(bwrap, ["--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "/bin/true"]) is not null);
        if (works)
        {
            return (SandboxBubblewrap, bwrap, setpriv);
        }

        if (string.Equals(settings.Sandbox, SandboxBubblewrap, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(Environment.IsPrivilegedProcess
                ? "Runtime:Sandbox is 'bubblewrap' but bwrap or setpriv is not installed, or they cannot create namespaces and drop to the sandbox user."
                : "Runtime:Sandbox is 'bubblewrap' but bwrap is not installed or cannot create namespaces.");
        }

        logger.LogWarning("bubblewrap (bwrap) is not available: functions run without a sandbox (sandbox: none)");
        return (SandboxNone, null, null);
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string? Run(string file, params IEnumerable<string> args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(10_000) && process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
