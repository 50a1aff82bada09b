using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class RuntimeLimitsParsingTests
{
    [TestCase("s-0.5vcpu-512mb", 0.5, 512)]
    [TestCase("s-2vcpu-2gb", 2, 2048)]
    [TestCase("bogus", 1, 512)]
    public void FromSpecification_ParsesCpuAndMemory(string specification, double cpus, int memoryMb)
    {
        var limits = RuntimeLimits.FromSpecification(specification, 15);

        Assert.That((limits.Cpus, limits.MemoryMb, limits.Timeout), Is.EqualTo((cpus, memoryMb, TimeSpan.FromSeconds(15))));
    }
}
