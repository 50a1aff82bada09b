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
        (Sandbox, BubblewrapPath) = ChooseSandbox(settings.Sandbox, logger);
    }

    public IReadOnlyList<RuntimeInfo> Runtimes => _runtimes;

    public string? DefaultRuntimeId =>
        _runtimes.Where(r => r.Key == "node").OrderByDescending(r => int.TryParse(r.Version, out var v) ? v : 0).FirstOrDefault()?.Id
        ?? _runtimes.FirstOrDefault()?.Id;

    public string Sandbox { get; }

    public string? BubblewrapPath { get; }

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

    private static (string Sandbox, string? Path) ChooseSandbox(string setting, ILogger logger)
    {
        if (string.Equals(setting, SandboxNone, StringComparison.OrdinalIgnoreCase))
        {
            return (SandboxNone, null);
        }

        var bwrap = FindOnPath("bwrap");
        var works = bwrap is not null && Run(bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "/bin/true") is not null;
        if (works)
        {
            return (SandboxBubblewrap, bwrap);
        }

        if (string.Equals(setting, SandboxBubblewrap, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Runtime:Sandbox is 'bubblewrap' but bwrap is not installed or cannot create namespaces.");
        }

        logger.LogWarning("bubblewrap (bwrap) is not available: functions run without a sandbox (sandbox: none)");
        return (SandboxNone, null);
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string? Run(string file, params string[] args)
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
