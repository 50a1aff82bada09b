using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Executions;

/// <summary>Waiting/processing executions past their function's timeout read as failed; deleting them is allowed then.</summary>
public sealed class ExecutionReportingTests
{
    private const int Timeout = 15;

    private static Execution Waiting(DateTimeOffset? scheduledAt = null) =>
        Execution.Create("exe_1", "fun_1", "ws_1", ExecutionTrigger.Http, "POST", "/", [], "", Now, scheduledAt: scheduledAt, async: true);

    private static Execution Finished(int status)
    {
        var execution = Waiting();
        execution.Claim("w", Now, TimeSpan.FromSeconds(30));
        execution.Conclude(new RunOutcome(true, status, null, [], "", "", 0.1), Now);
        return execution;
    }

    [Test]
    public void ReportedStatus_WhenWaitingWithinTimeout_ShouldBeWaiting() =>
        Assert.That(Waiting().ReportedStatus(Timeout, Now.AddSeconds(Timeout)), Is.EqualTo(ExecutionStatus.Waiting));

    [Test]
    public void ReportedStatus_WhenWaitingPastTimeout_ShouldBeFailed() =>
        Assert.That(Waiting().ReportedStatus(Timeout, Now.AddSeconds(Timeout + 1)), Is.EqualTo(ExecutionStatus.Failed));

    [Test]
    public void ReportedStatus_WhenProcessingPastTimeout_ShouldBeFailed()
    {
        var execution = Waiting();
        execution.Claim("w", Now, TimeSpan.FromSeconds(30));
        Assert.That(execution.ReportedStatus(Timeout, Now.AddSeconds(Timeout + 1)), Is.EqualTo(ExecutionStatus.Failed));
    }

    [Test]
    public void ReportedStatus_WhenClaimedScheduledRowWithinTimeoutOfItsTime_ShouldBeProcessing()
    {
        // Created long before it was due: the timeout counts from its scheduled time, not its creation.
        var execution = Waiting(Now.AddHours(1));
        execution.Claim("w", Now.AddHours(1), TimeSpan.FromSeconds(30));
        Assert.That(execution.ReportedStatus(Timeout, Now.AddHours(1).AddSeconds(5)), Is.EqualTo(ExecutionStatus.Processing));
    }

    [Test]
    public void ReportedStatus_WhenScheduledLongAgoButNotYetDue_ShouldStayScheduled() =>
        Assert.That(Waiting(Now.AddHours(1)).ReportedStatus(Timeout, Now.AddMinutes(30)), Is.EqualTo(ExecutionStatus.Scheduled));

    [Test]
    public void ReportedStatus_WhenCompleted_ShouldStayCompleted() =>
        Assert.That(Finished(200).ReportedStatus(Timeout, Now.AddDays(1)), Is.EqualTo(ExecutionStatus.Completed));

    [Test]
    public void ReportedFailed_ShouldMatchExactlyTheFailedAndTheStale()
    {
        var now = Now.AddSeconds(Timeout + 1);
        var fresh = Execution.Create("exe_2", "fun_1", "ws_1", ExecutionTrigger.Http, "POST", "/", [], "", now, async: true);
        var filter = ExecutionReporting.ReportedFailed(Timeout, now).Compile();

        Assert.Multiple(() =>
        {
            Assert.That(filter(Waiting()), Is.True, "stale waiting");
            Assert.That(filter(Finished(500)), Is.True, "stored failed");
            Assert.That(filter(Finished(200)), Is.False, "completed");
            Assert.That(filter(fresh), Is.False, "fresh waiting");
            Assert.That(filter(Waiting(Now.AddHours(1))), Is.False, "scheduled ahead");
        });
    }

    [Test]
    public void EnsureDeletable_WhenWaitingWithinTimeout_ShouldThrowInProgress() =>
        AssertDomainError(ExecutionStateErrors.InProgress, () => Waiting().EnsureDeletable(Timeout, Now.AddSeconds(1)));

    [Test]
    public void EnsureDeletable_WhenStale_ShouldPass() =>
        Assert.DoesNotThrow(() => Waiting().EnsureDeletable(Timeout, Now.AddSeconds(Timeout + 1)));

    [Test]
    public void EnsureDeletable_WhenFinished_ShouldPass() =>
        Assert.DoesNotThrow(() => Finished(200).EnsureDeletable(Timeout, Now));

    [Test]
    public void Create_WhenAsync_ShouldRaiseQueued() => Assert.That(AssertRaised<ExecutionQueued>(Waiting()).ExecutionId, Is.EqualTo("exe_1"));

    [Test]
    public void Create_WhenScheduled_ShouldRaiseScheduledForItsTime()
    {
        var raised = AssertRaised<ExecutionScheduled>(Waiting(Now.AddMinutes(1)));
        Assert.That((raised.ExecutionId, raised.DueAt), Is.EqualTo(("exe_1", Now.AddMinutes(1))));
    }

    [Test]
    public void Create_WhenAsyncOrSync_ShouldNotRaiseScheduled()
    {
        Assert.That(Waiting().DomainEvents.OfType<ExecutionScheduled>(), Is.Empty);
        Assert.That(Execution.Create("exe_1", "fun_1", "ws_1", ExecutionTrigger.Http, "POST", "/", [], "", Now).DomainEvents.OfType<ExecutionScheduled>(), Is.Empty);
    }

    [Test]
    public void Create_WhenScheduledOrSync_ShouldNotRaiseQueued()
    {
        Assert.That(Waiting(Now.AddMinutes(1)).DomainEvents.OfType<ExecutionQueued>(), Is.Empty);
        Assert.That(Execution.Create("exe_1", "fun_1", "ws_1", ExecutionTrigger.Http, "POST", "/", [], "", Now).DomainEvents.OfType<ExecutionQueued>(), Is.Empty);
    }

    [Test]
    public void Reconfigure_WhenScheduleChanges_ShouldClearScheduleNext()
    {
        var function = Function.Create("fun_1", "ws_1", "f", "node-22", Now, settings: new FunctionSettings { Schedule = "* * * * *" });
        function.ScheduleRan(Now, Now.AddMinutes(1));

        function.Reconfigure("f", null, new FunctionSettings { Schedule = "*/5 * * * *" }, Now);

        Assert.That(function.ScheduleNext, Is.Null);
    }

    [Test]
    public void Reconfigure_WhenReEnabled_ShouldClearScheduleNext()
    {
        var function = Function.Create("fun_1", "ws_1", "f", "node-22", Now, settings: new FunctionSettings { Schedule = "* * * * *", Enabled = false });
        function.ScheduleRan(Now, Now.AddMinutes(1));

        function.Reconfigure("f", null, new FunctionSettings { Schedule = "* * * * *", Enabled = true }, Now);

        Assert.That(function.ScheduleNext, Is.Null);
    }

    [Test]
    public void Reconfigure_WhenScheduleUnchanged_ShouldKeepScheduleNext()
    {
        var function = Function.Create("fun_1", "ws_1", "f", "node-22", Now, settings: new FunctionSettings { Schedule = "* * * * *" });
        function.ScheduleRan(Now, Now.AddMinutes(1));

        function.Reconfigure("f", null, new FunctionSettings { Schedule = "* * * * *", Timeout = 30 }, Now);

        Assert.That(function.ScheduleNext, Is.EqualTo(Function.Truncate(Now.AddMinutes(1))));
    }
}
