using FunctionsPlatform.Domain.Functions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Functions;

public sealed class FunctionProcessConcurrencyTests
{
    private static Function NewFunction() => Function.Create("fun_1", "ws_1", "hello", "node-20", Now);

    [Test]
    public void Create_ShouldServeOneRequestPerProcess() => Assert.That(NewFunction().ProcessConcurrency, Is.EqualTo(1));

    [Test]
    public void SetProcessConcurrency_WhenChanged_ShouldStoreItAndReplaceTheProcesses()
    {
        var function = NewFunction();
        function.ClearDomainEvents();

        function.SetProcessConcurrency(8, Now);

        Assert.That(function.ProcessConcurrency, Is.EqualTo(8));
        Assert.That(AssertRaised<FunctionCodeChanged>(function).FunctionId, Is.EqualTo("fun_1"));
    }

    [Test]
    public void SetProcessConcurrency_WhenUnchanged_ShouldRaiseNothing()
    {
        var function = NewFunction();
        function.ClearDomainEvents();

        function.SetProcessConcurrency(1, Now);

        Assert.That(function.DomainEvents, Is.Empty);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(FunctionLimits.MaxProcessConcurrency + 1)]
    public void SetProcessConcurrency_WhenOutOfRange_ShouldFail(int concurrency) =>
        AssertDomainError(FunctionErrors.ProcessConcurrencyOutOfRange, () => NewFunction().SetProcessConcurrency(concurrency, Now));
}
