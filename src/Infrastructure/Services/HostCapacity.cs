using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.Services;

/// <summary>The CPUs and memory this process can use (container limits included, as the runtime reports them).</summary>
internal sealed class HostCapacity : IHostCapacity
{
    public double Cpus { get; } = Environment.ProcessorCount;

    public int MemoryMb { get; } = (int)Math.Min(int.MaxValue, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024));
}
