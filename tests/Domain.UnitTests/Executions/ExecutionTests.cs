using FunctionsPlatform.Domain.Executions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Executions;

public sealed class ExecutionTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static Execution NewAsync() =>
        Execution.Create("exe_1", "fun_1", "ws_1", ExecutionTrigger.Http, "POST", "/", [], "{}", Now, async: true);

    [Test]
    public void Create_WhenAsync_ShouldBeWaiting() => Assert.That(NewAsync().Status, Is.EqualTo(ExecutionStatus.Waiting));

    [Test]
    public void Create_WhenScheduled_ShouldBeScheduled() =>
        Assert.That(Execution.Create("exe_1", "fun_1", "ws_1", ExecutionTrigger.Schedule, "POST", "/", [], null, Now, scheduledAt: Now.AddMinutes(1)).Status,
            Is.EqualTo(ExecutionStatus.Scheduled));

    [Test]
    public void Create_WhenSync_ShouldBeProcessing() =>
        Assert.That(Execution.Create("exe_1", "fun_1", "ws_1", ExecutionTrigger.Http, "POST", "/", [], null, Now).Status,
            Is.EqualTo(ExecutionStatus.Processing));

    [Test]
    public void Claim_WhenFree_ShouldTakeLease()
    {
        var execution = NewAsync();
        Assert.That(execution.Claim("w1", Now, Lease), Is.True);
        Assert.That(execution.LeaseOwner, Is.EqualTo("w1"));
        Assert.That(execution.LeaseExpiresAt, Is.EqualTo(Now + Lease));
        Assert.That(execution.Attempts, Is.EqualTo(1));
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Processing));
    }

    [Test]
    public void Claim_WhenAnotherLiveLease_ShouldRefuse()
    {
        var execution = NewAsync();
        execution.Claim("w1", Now, Lease);
        Assert.That(execution.Claim("w2", Now.AddSeconds(10), Lease), Is.False);
        Assert.That(execution.LeaseOwner, Is.EqualTo("w1"));
        Assert.That(execution.Attempts, Is.EqualTo(1));
    }

    [Test]
    public void Claim_WhenLeaseExpired_ShouldLetAnotherWorkerTakeIt()
    {
        var execution = NewAsync();
        execution.Claim("w1", Now, Lease);
        Assert.That(execution.Claim("w2", Now + Lease, Lease), Is.True);
        Assert.That(execution.LeaseOwner, Is.EqualTo("w2"));
        Assert.That(execution.Attempts, Is.EqualTo(2));
    }

    [Test]
    public void Claim_WhenSameOwner_ShouldRenew()
    {
        var execution = NewAsync();
        execution.Claim("w1", Now, Lease);
        Assert.That(execution.Claim("w1", Now.AddSeconds(5), Lease), Is.True);
        Assert.That(execution.LeaseExpiresAt, Is.EqualTo(Now.AddSeconds(5) + Lease));
    }

    [Test]
    public void Claim_WhenFinished_ShouldRefuse()
    {
        var execution = NewAsync();
        execution.Claim("w1", Now, Lease);
        execution.Conclude(new RunOutcome(true, 200, "{}", [], "", "", 0.1), Now);
        Assert.That(execution.Claim("w2", Now.AddHours(1), Lease), Is.False);
    }

    [Test]
    public void Complete_WhenOk_ShouldBeCompletedAndReleaseLease()
    {
        var execution = NewAsync();
        execution.Claim("w1", Now, Lease);
        execution.Conclude(new RunOutcome(true, 200, "{\"a\":1}", [new HeaderPair("content-type", "application/json")], "log", "", 0.25), Now);
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Completed));
        Assert.That(execution.ResponseStatusCode, Is.EqualTo(200));
        Assert.That(execution.ResponseBody, Is.EqualTo("{\"a\":1}"));
        Assert.That(execution.RequestBody, Is.Null, "the request body is cleared once run");
        Assert.That(execution.LeaseOwner, Is.Null);
        Assert.That(execution.LeaseExpiresAt, Is.Null);
        Assert.That(execution.IsFinished, Is.True);
    }

    [Test]
    public void Complete_WhenServerErrorStatus_ShouldBeFailed()
    {
        var execution = NewAsync();
        execution.Conclude(new RunOutcome(true, 503, null, [], "", "boom", 1), Now);
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
    }

    [Test]
    public void Conclude_WhenRunBrokeDownWithoutStatus_ShouldFailWith500()
    {
        var execution = NewAsync();
        execution.Conclude(new RunOutcome(false, 0, "ignored", [new HeaderPair("x", "1")], "partial", "timed out", 15), Now);
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(execution.Errors, Is.EqualTo("timed out"));
        Assert.That(execution.Logs, Is.EqualTo("partial"));
        Assert.That(execution.ResponseStatusCode, Is.EqualTo(500));
        Assert.That(execution.ResponseBody, Is.Null, "a run that broke down has no response");
        Assert.That(execution.ResponseHeaders, Is.Empty);
        Assert.That(execution.IsFinished, Is.True);
    }

    [Test]
    public void Conclude_WhenRunBrokeDownWithStatus_ShouldKeepIt()
    {
        var execution = NewAsync();
        execution.Conclude(new RunOutcome(false, 429, null, [], "", "no capacity", 0), Now);
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(execution.ResponseStatusCode, Is.EqualTo(429));
    }

    [TestCase(200, ExecutionStatus.Completed)]
    [TestCase(404, ExecutionStatus.Completed)]
    [TestCase(499, ExecutionStatus.Completed)]
    [TestCase(500, ExecutionStatus.Failed)]
    public void Conclude_WhenFunctionAnswered_ShouldFailOnlyOn5xx(int status, ExecutionStatus expected)
    {
        var execution = NewAsync();
        execution.Conclude(new RunOutcome(true, status, "body", [], "", "", 0.5), Now);
        Assert.That(execution.Status, Is.EqualTo(expected));
        Assert.That(execution.ResponseBody, Is.EqualTo("body"));
    }

    [Test]
    public void FailUnrun_WhenCalled_ShouldRecordReasonAnd500()
    {
        var execution = NewAsync();
        execution.Claim("w1", Now, Lease);
        execution.FailUnrun("The function no longer exists.", Now);
        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
        Assert.That(execution.Errors, Is.EqualTo("The function no longer exists."));
        Assert.That(execution.ResponseStatusCode, Is.EqualTo(500));
        Assert.That(execution.LeaseOwner, Is.Null);
        Assert.That(execution.RequestBody, Is.Null);
    }

    [Test]
    public void Cap_WhenUnderLimit_ShouldKeepText() => Assert.That(Execution.Cap("abc"), Is.EqualTo("abc"));

    [Test]
    public void Cap_WhenOverLimit_ShouldKeepMarkedTail()
    {
        var text = new string('a', Execution.MaxLogLength) + "TAIL";
        var capped = Execution.Cap(text);
        Assert.That(capped, Has.Length.EqualTo(Execution.MaxLogLength));
        Assert.That(capped, Does.StartWith(Execution.TruncatedMarker));
        Assert.That(capped, Does.EndWith("TAIL"));
    }

    [Test]
    public void Complete_WhenLogsOverLimit_ShouldStoreCappedLogs()
    {
        var execution = NewAsync();
        execution.Conclude(new RunOutcome(true, 200, null, [], new string('l', Execution.MaxLogLength + 10), new string('e', Execution.MaxLogLength + 10), 1), Now);
        Assert.That(execution.Logs, Has.Length.EqualTo(Execution.MaxLogLength).And.StartWith(Execution.TruncatedMarker));
        Assert.That(execution.Errors, Has.Length.EqualTo(Execution.MaxLogLength).And.StartWith(Execution.TruncatedMarker));
    }
}

public sealed class StoredTimePrecisionTests
{
    private static readonly DateTimeOffset Sub = Now.AddTicks(4567);

    [Test]
    public void Claim_WhenNowHasSubMilliseconds_ShouldStoreLeaseAtMilliseconds()
    {
        var execution = Execution.Create("exe_1", "fun_1", "ws_1", ExecutionTrigger.Http, "POST", "/", [], null, Now, async: true);
        execution.Claim("w1", Sub, TimeSpan.FromSeconds(30));
        Assert.That(execution.LeaseExpiresAt, Is.EqualTo(Now.AddSeconds(30)));
    }

    [Test]
    public void StartBuild_WhenNowHasSubMilliseconds_ShouldStoreMilliseconds()
    {
        var deployment = FunctionsPlatform.Domain.Deployments.Deployment.Create("dep_1", "fun_1", "index.js", "", false, "manual", 1, Now);
        deployment.StartBuild(Sub);
        Assert.That(deployment.BuildStartedAt, Is.EqualTo(Now));
    }

    [Test]
    public void ScheduleRan_WhenTimesHaveSubMilliseconds_ShouldStoreMilliseconds()
    {
        var function = FunctionsPlatform.Domain.Functions.Function.Create("fun_1", "ws_1", "f", "node-20", Now);
        function.ScheduleRan(Sub, Sub.AddMinutes(1));
        Assert.That(function.SchedulePrevious, Is.EqualTo(Now));
        Assert.That(function.ScheduleNext, Is.EqualTo(Now.AddMinutes(1)));
    }
}
