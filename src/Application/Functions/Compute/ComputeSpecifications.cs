using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Application.Functions.Compute;

/// <summary>A CPU and memory size a function runs with (Appwrite's specification; the executor enforces both).</summary>
public sealed record ComputeSpecification(string Slug, double Cpus, int MemoryMb);

/// <summary>Appwrite's specification slugs, and the subset this host can honour.</summary>
public static class ComputeSpecifications
{
    public static IReadOnlyList<ComputeSpecification> All { get; } =
    [
        new("s-0.5vcpu-512mb", 0.5, 512),
        new("s-1vcpu-512mb", 1, 512),
        new("s-1vcpu-1gb", 1, 1024),
        new("s-2vcpu-2gb", 2, 2048),
        new("s-2vcpu-4gb", 2, 4096),
        new("s-4vcpu-4gb", 4, 4096),
        new("s-4vcpu-8gb", 4, 8192),
        new("s-8vcpu-4gb", 8, 4096),
        new("s-8vcpu-8gb", 8, 8192),
    ];

    /// <summary>The specifications whose CPUs and memory fit on this host, smallest first.</summary>
    public static IReadOnlyList<ComputeSpecification> Honoured(IHostCapacity host) =>
        [.. All.Where(s => s.Cpus <= host.Cpus && s.MemoryMb <= host.MemoryMb)];

    public static bool IsHonoured(IHostCapacity host, string slug) => Honoured(host).Any(s => s.Slug == slug);

    public static string Describe(IHostCapacity host) => string.Join(", ", Honoured(host).Select(s => s.Slug));
}
