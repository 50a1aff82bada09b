using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Application.Functions.Compute;

/// <summary>A runtime as Appwrite names it (<c>node-20.0</c>, <c>python-3.11</c>) on an interpreter found on this host.</summary>
public sealed record AppwriteRuntime(string Id, RuntimeInfo Host);

/// <summary>
/// Maps the interpreters found on the host to Appwrite runtime ids. node's ids carry ".0" up to major 21
/// (<c>node-14.5</c>, <c>node-20.0</c>) and the bare major from 22 on (<c>node-22</c>); python's carry major.minor.
/// The host's own ids (<c>node-20</c>) are accepted too, so a function made on /api reads back unchanged.
/// </summary>
public static class AppwriteRuntimes
{
    public static IReadOnlyList<AppwriteRuntime> On(IRuntimeCatalog catalog) =>
        [.. catalog.Runtimes.Select(r => new AppwriteRuntime(AppwriteId(r), r))];

    /// <summary>The host interpreter for an Appwrite or host runtime id; null when this host lacks it.</summary>
    public static RuntimeInfo? Find(IRuntimeCatalog catalog, string runtimeId) =>
        catalog.Runtimes.FirstOrDefault(r => r.Id == runtimeId || AppwriteId(r) == runtimeId);

    public static string AppwriteId(RuntimeInfo runtime) => runtime.Key switch
    {
        "node" when int.TryParse(runtime.Version, out var major) && major < 22 => major == 14 ? "node-14.5" : $"node-{major}.0",
        _ => $"{runtime.Key}-{runtime.Version}",
    };

    public static string Describe(IRuntimeCatalog catalog) => string.Join(", ", On(catalog).Select(r => r.Id));
}
