using System.Diagnostics;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.Runtime;

/// <summary>Finds node and python3 on PATH at start-up and names them the Appwrite way (<c>node-20</c>, <c>python-3.11</c>).</summary>
public sealed class HostRuntimeCatalog : IRuntimeCatalog
{
    public HostRuntimeCatalog()
    {
        var found = new List<RuntimeInfo>();
        if (Probe("node", "--version") is { } node)
        {
            var version = node.TrimStart('v');
            found.Add(new RuntimeInfo($"node-{version.Split('.')[0]}", "node", "Node.js", version.Split('.')[0], node == "" ? "node" : Which("node")));
        }

        if (Probe("python3", "--version") is { } python)
        {
            var parts = python.Replace("Python ", "", StringComparison.Ordinal).Split('.');
            var version = parts.Length > 1 ? $"{parts[0]}.{parts[1]}" : parts[0];
            found.Add(new RuntimeInfo($"python-{version}", "python", "Python", version, Which("python3")));
        }

        Runtimes = found;
        DefaultRuntimeId = found.FirstOrDefault(r => r.Key == "node")?.Id ?? found.FirstOrDefault()?.Id;
        Sandbox = File.Exists("/usr/bin/bwrap") ? "bubblewrap" : "none";
    }

    public IReadOnlyList<RuntimeInfo> Runtimes { get; }
    public string? DefaultRuntimeId { get; }
    public string Sandbox { get; }

    public RuntimeInfo? Find(string runtimeId) => Runtimes.FirstOrDefault(r => r.Id == runtimeId);

    private static string Which(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists) ?? command;

    private static string? Probe(string command, string args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit(5000);
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
