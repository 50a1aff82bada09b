namespace FunctionsPlatform.Application.Abstractions.Runtime;

/// <summary>An interpreter found on this host (Appwrite's Runtime model: <c>$id</c> = <c>node-20</c>, key <c>node</c>, version <c>20</c>).</summary>
public sealed record RuntimeInfo(string Id, string Key, string Name, string Version, string ExecutablePath);

/// <summary>The runtimes this host can run, found at start-up, and the sandbox in force.</summary>
public interface IRuntimeCatalog
{
    IReadOnlyList<RuntimeInfo> Runtimes { get; }

    /// <summary>The default for new /api functions: the newest node runtime on the host, else the first found.</summary>
    string? DefaultRuntimeId { get; }

    /// <summary><c>bubblewrap</c> or <c>none</c>, reported on /health.</summary>
    string Sandbox { get; }

    RuntimeInfo? Find(string runtimeId);
}
