using FunctionsPlatform.Domain.Executions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Executions;

public sealed class ExecutionColdStartAndErrorKindTests
{
    private static Execution NewSync() =>
        Execution.Create("exe_1", "fun_1", "ws_1", ExecutionTrigger.Http, "POST", "/", [], "{}", Now);

    [Test]
    public void Conclude_ColdRun_ShouldRecordColdStartAndInitTimeInMilliseconds()
    {
        var execution = NewSync();
        execution.Conclude(new RunOutcome(true, 200, "{}", [], "", "", 0.2, ColdStart: true, InitSeconds: 0.0425), Now);
        Assert.That(execution.ColdStart, Is.True);
        Assert.That(execution.InitDurationMs, Is.EqualTo(42.5).Within(0.001));
        Assert.That(execution.ErrorKind, Is.EqualTo(ExecutionErrorKind.None));
    }

    [Test]
    public void Conclude_WarmRun_ShouldRecordNoInitTime()
    {
        var execution = NewSync();
        execution.Conclude(new RunOutcome(true, 200, "{}", [], "", "", 0.01), Now);
        Assert.That(execution.ColdStart, Is.False);
        Assert.That(execution.InitDurationMs, Is.Zero);
    }

    [Test]
    public void Conclude_WarmRunWithInitTime_ShouldBeRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            NewSync().Conclude(new RunOutcome(true, 200, "{}", [], "", "", 0.01, ColdStart: false, InitSeconds: 0.5), Now));

    [TestCase(-0.001)]
    [TestCase(double.NaN)]
    public void Conclude_NegativeOrNaNInitTime_ShouldBeRefused(double initSeconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            NewSync().Conclude(new RunOutcome(true, 200, "{}", [], "", "", 0.01, ColdStart: true, InitSeconds: initSeconds), Now));

    [TestCase(200, ExecutionErrorKind.None)]
    [TestCase(404, ExecutionErrorKind.None)]
    [TestCase(500, ExecutionErrorKind.Function)]
    [TestCase(503, ExecutionErrorKind.Function)]
    public void Conclude_WhenFunctionAnswered_ShouldBlameTheFunctionOnlyFor5xx(int status, ExecutionErrorKind expected)
    {
        var execution = NewSync();
        execution.Conclude(new RunOutcome(true, status, "x", [], "", "", 0.1), Now);
        Assert.That(execution.ErrorKind, Is.EqualTo(expected));
        Assert.That(execution.ErrorKind.IsPlatformFailure(), Is.False);
    }

    [TestCase(ExecutionErrorKind.Timeout, "timeout")]
    [TestCase(ExecutionErrorKind.LoadFailed, "load_failed")]
    [TestCase(ExecutionErrorKind.ProcessExited, "process_exited")]
    [TestCase(ExecutionErrorKind.SpawnFailed, "spawn_failed")]
    public void Conclude_WhenRunBrokeDown_ShouldRecordThePlatformKind(ExecutionErrorKind kind, string wire)
    {
        var execution = NewSync();
        execution.Conclude(new RunOutcome(false, 0, null, [], "", "broke", 1, kind, ColdStart: true, InitSeconds: 0.01), Now);
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(execution.ErrorKind, Is.EqualTo(kind));
        Assert.That(execution.ErrorKind.IsPlatformFailure(), Is.True);
        Assert.That(execution.ErrorKind.ToWire(), Is.EqualTo(wire));
    }

    [TestCase(ExecutionErrorKind.None)]
    [TestCase(ExecutionErrorKind.Function)]
    public void Conclude_WhenRunBrokeDownWithoutAPlatformKind_ShouldBeRefused(ExecutionErrorKind kind) =>
        Assert.Throws<ArgumentException>(() => NewSync().Conclude(new RunOutcome(false, 0, null, [], "", "broke", 1, kind), Now));

    [Test]
    public void FailUnrun_ShouldBeNotRunnable()
    {
        var execution = NewSync();
        execution.FailUnrun("The function no longer exists.", Now);
        Assert.That(execution.ErrorKind, Is.EqualTo(ExecutionErrorKind.NotRunnable));
        Assert.That(execution.ErrorKind.ToWire(), Is.EqualTo("not_runnable"));
        Assert.That(execution.ColdStart, Is.False);
    }
}
