namespace FunctionsPlatform.Application.Abstractions.Runtime;

/// <summary>What this host can give one function process: a specification asking for more cannot be honoured.</summary>
public interface IHostCapacity
{
    double Cpus { get; }
    int MemoryMb { get; }
}
