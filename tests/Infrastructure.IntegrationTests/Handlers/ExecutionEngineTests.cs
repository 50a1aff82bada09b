using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Executions.Commands.CreateExecution;
using FunctionsPlatform.Application.Executions.Commands.DeleteExecution;
using FunctionsPlatform.Application.Executions.Queries.GetExecution;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Runtime.AsyncExecutions;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPlatform.Infrastructure.IntegrationTests.Handlers.ExecutionTestKit;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>
/// Appwrite-style executions through the real pipeline, SQLite and node: synchronous, asynchronous (woken worker),
/// scheduled, get and delete, what the function sees, and the stale-as-failed rule.
/// </summary>
public sealed class ExecutionEngineTests
{
    private static JsonObject Seen(Execution execution) => (JsonObject)JsonNode.Parse(execution.Logs.Trim())!;

    [Test]
    public async Task CreateExecution_Sync_ShouldRunAndGiveTheFunctionAppwriteHeadersEnvAndRequest()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host);

        var execution = await host.SendAsync(new CreateExecutionCommand(functionId, "hello", false, "/p/q?x=1&y=two", "PUT",
            new Dictionary<string, string> { ["X-Custom"] = "c", ["content-type"] = "text/plain" }));

        var seen = (JsonObject)JsonNode.Parse(execution.ResponseBody)!;
        var headers = seen["headers"]!;
        var env = seen["env"]!;
        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo("completed"), execution.Errors);
            Assert.That(execution.Trigger, Is.EqualTo("http"));
            Assert.That(execution.ResponseStatusCode, Is.EqualTo(201));
            Assert.That(execution.ResponseHeaders, Does.Contain(new HeaderPair("x-echo", "yes")));
            Assert.That(seen["method"]!.GetValue<string>(), Is.EqualTo("PUT"));
            Assert.That(seen["path"]!.GetValue<string>(), Is.EqualTo("/p/q"));
            Assert.That(seen["queryString"]!.GetValue<string>(), Is.EqualTo("x=1&y=two"));
            Assert.That(seen["query"]!["y"]!.GetValue<string>(), Is.EqualTo("two"));
            Assert.That(seen["bodyText"]!.GetValue<string>(), Is.EqualTo("hello"));
            Assert.That(seen["scheme"]!.GetValue<string>(), Is.EqualTo("http"));
            Assert.That(seen["url"]!.GetValue<string>(), Does.EndWith("/p/q?x=1&y=two"));
            Assert.That(headers["x-custom"]!.GetValue<string>(), Is.EqualTo("c"));
            Assert.That(headers["content-type"]!.GetValue<string>(), Is.EqualTo("text/plain"));
            Assert.That(headers["x-appwrite-trigger"]!.GetValue<string>(), Is.EqualTo("http"));
            Assert.That(headers["x-appwrite-execution-id"]!.GetValue<string>(), Is.EqualTo(execution.Id));
            Assert.That(headers["x-appwrite-user-id"]!.GetValue<string>(), Is.EqualTo(host.Caller.UserId));
            Assert.That(headers["x-appwrite-event"], Is.Null, "absent on synchronous http calls");
            Assert.That(env["APPWRITE_FUNCTION_ID"]!.GetValue<string>(), Is.EqualTo(functionId));
            Assert.That(env["APPWRITE_FUNCTION_NAME"]!.GetValue<string>(), Does.StartWith("engine-"));
            Assert.That(env["APPWRITE_FUNCTION_PROJECT_ID"]!.GetValue<string>(), Is.EqualTo("default"));
            Assert.That(env["APPWRITE_FUNCTION_RUNTIME_NAME"]!.GetValue<string>(), Is.EqualTo("Node.js"));
            Assert.That(env["APPWRITE_FUNCTION_RUNTIME_VERSION"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(env["APPWRITE_FUNCTION_TRIGGER"]!.GetValue<string>(), Is.EqualTo("http"));
            Assert.That(env["APPWRITE_FUNCTION_API_ENDPOINT"]!.GetValue<string>(), Does.EndWith("/v1"));
            Assert.That(env["APPWRITE_VERSION"], Is.Not.Null);
            Assert.That(env["APPWRITE_REGION"]!.GetValue<string>(), Is.EqualTo("default"));
        });

        var stored = await host.SendAsync(new GetExecutionQuery(functionId, execution.Id));
        Assert.Multiple(() =>
        {
            Assert.That(stored.Status, Is.EqualTo("completed"));
            Assert.That(stored.RequestMethod, Is.EqualTo("PUT"));
            Assert.That(stored.RequestPath, Is.EqualTo("/p/q?x=1&y=two"));
            Assert.That(stored.RequestHeaders, Does.Contain(new HeaderPair("x-custom", "c")));
            Assert.That(stored.Logs, Does.Contain("\"method\":\"PUT\""));
            Assert.That(stored.Errors, Is.EqualTo("to stderr\n"));
            Assert.That(stored.Duration, Is.GreaterThan(0));
            Assert.That(stored.ResponseStatusCode, Is.EqualTo(201));
        });
    }

    [Test]
    public async Task CreateExecution_Async_ShouldAnswerWaitingAndBeRunByTheWokenWorkerNotThePoll()
    {
        // A one-minute poll: only the in-process wake-up can start it within the test's time.
        await using var host = await StartAsync(new() { ["Runtime:AsyncPollIntervalMs"] = "60000" });
        var functionId = await FunctionAsync(host);
        await using var background = await StartBackgroundAsync(host);
        await Task.Delay(200); // the worker's first poll is over: it now sleeps on the signal

        var created = await host.SendAsync(new CreateExecutionCommand(functionId, "later", true, "/a?b=c", "POST",
            new Dictionary<string, string> { ["x-one"] = "1" }));
        Assert.That(created.Status, Is.EqualTo("waiting"));

        var execution = await WaitFinishedAsync(host, created.Id, timeoutMs: 15_000);
        var seen = Seen(execution);
        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Completed), execution.Errors);
            Assert.That(execution.ResponseStatusCode, Is.EqualTo(201));
            Assert.That(execution.ResponseBody, Is.Null, "asynchronous executions keep no body");
            Assert.That(seen["headers"]!["x-appwrite-trigger"]!.GetValue<string>(), Is.EqualTo("http"));
            Assert.That(seen["headers"]!["x-appwrite-event"]!.GetValue<string>(), Is.EqualTo(""), "set on background paths");
            Assert.That(seen["headers"]!["x-one"]!.GetValue<string>(), Is.EqualTo("1"));
            Assert.That(seen["bodyText"]!.GetValue<string>(), Is.EqualTo("later"));
            Assert.That(seen["queryString"]!.GetValue<string>(), Is.EqualTo("b=c"));
        });
    }

    [Test]
    public async Task CreateExecution_Scheduled_ShouldStayScheduledThenRunAtItsTime()
    {
        await using var host = await StartAsync(new() { ["Scheduling:ScheduledExecutionMinimumLeadSeconds"] = "2" });
        var functionId = await FunctionAsync(host);
        await using var background = await StartBackgroundAsync(host);
        var at = AuditableEntity.Truncate(DateTimeOffset.UtcNow.AddSeconds(3));

        var created = await host.SendAsync(new CreateExecutionCommand(functionId, null, true, ScheduledAt: at));
        Assert.That((created.Status, created.Trigger, created.ScheduledAt), Is.EqualTo(("scheduled", "schedule", (DateTimeOffset?)at)));
        Assert.That((await host.SendAsync(new GetExecutionQuery(functionId, created.Id))).Status, Is.EqualTo("scheduled"));

        var execution = await WaitFinishedAsync(host, created.Id);
        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(Seen(execution)["startedAt"]!.GetValue<long>());
        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Completed), execution.Errors);
            Assert.That(Seen(execution)["headers"]!["x-appwrite-trigger"]!.GetValue<string>(), Is.EqualTo("schedule"));
            Assert.That(startedAt, Is.GreaterThanOrEqualTo(at));
            // A bound, not the speed goal (that is the bench's): it includes a cold start on a possibly loaded machine,
            // and catches a run that waits for anything slower than the worker's 500 ms poll.
            Assert.That((startedAt - at).TotalMilliseconds, Is.LessThan(5000), $"started {(startedAt - at).TotalMilliseconds} ms after its time");
        });
    }

    [Test]
    public async Task DeleteExecution_WhenScheduled_ShouldCancelAndDeleteSoItNeverRuns()
    {
        await using var host = await StartAsync(new() { ["Scheduling:ScheduledExecutionMinimumLeadSeconds"] = "1" });
        var functionId = await FunctionAsync(host);
        await using var background = await StartBackgroundAsync(host);
        var created = await host.SendAsync(new CreateExecutionCommand(functionId, null, true, ScheduledAt: DateTimeOffset.UtcNow.AddSeconds(2)));

        await host.SendAsync(new DeleteExecutionCommand(functionId, created.Id));
        await Task.Delay(3000);

        Assert.That(await ReadExecutionAsync(host, created.Id), Is.Null);
        var missing = Assert.ThrowsAsync<NotFoundException>(() => host.SendAsync(new GetExecutionQuery(functionId, created.Id)));
        Assert.That(missing!.AppwriteType, Is.EqualTo("execution_not_found"));
    }

    [Test]
    public async Task CreateExecution_Scheduled_ShouldBeStartedByItsTimerNotThePoll()
    {
        // A one-minute poll: only the timer armed when the row was saved can start it within the bound below.
        await using var host = await StartAsync(new()
        {
            ["Scheduling:ScheduledExecutionMinimumLeadSeconds"] = "1",
            ["Runtime:AsyncPollIntervalMs"] = "60000",
        });
        var functionId = await FunctionAsync(host);
        await host.SendAsync(new CreateExecutionCommand(functionId, null, false)); // warm: the bound is about the wake-up, not a cold start
        await using var background = await StartBackgroundAsync(host);
        await Task.Delay(200); // the worker's first poll is over: it now sleeps on the signal
        var at = AuditableEntity.Truncate(DateTimeOffset.UtcNow.AddSeconds(2));

        var created = await host.SendAsync(new CreateExecutionCommand(functionId, null, true, ScheduledAt: at));
        Assert.That(created.Status, Is.EqualTo("scheduled"));

        var execution = await WaitFinishedAsync(host, created.Id, timeoutMs: 15_000);
        var lagMs = (DateTimeOffset.FromUnixTimeMilliseconds(Seen(execution)["startedAt"]!.GetValue<long>()) - at).TotalMilliseconds;
        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Completed), execution.Errors);
            Assert.That(lagMs, Is.GreaterThanOrEqualTo(0), "never before its time");
            // Far below the 60 s poll; generous for a loaded machine (the figure is the bench's).
            Assert.That(lagMs, Is.LessThan(2000), $"started {lagMs} ms after its time");
        });
    }

    [Test]
    public async Task DeleteExecution_WhenScheduledAndItsTimerFiresLater_ShouldNeverRun()
    {
        await using var host = await StartAsync(new()
        {
            ["Scheduling:ScheduledExecutionMinimumLeadSeconds"] = "1",
            ["Runtime:AsyncPollIntervalMs"] = "60000",
        });
        var functionId = await FunctionAsync(host);
        await using var background = await StartBackgroundAsync(host);
        var at = AuditableEntity.Truncate(DateTimeOffset.UtcNow.AddSeconds(4)); // ahead enough for both creates on a loaded machine
        var kept = await host.SendAsync(new CreateExecutionCommand(functionId, null, true, ScheduledAt: at));
        var deleted = await host.SendAsync(new CreateExecutionCommand(functionId, null, true, ScheduledAt: at));

        await host.SendAsync(new DeleteExecutionCommand(functionId, deleted.Id));
        // The timer fires for both; the one kept proves it did, the deleted one finds no row to claim.
        var ran = await WaitFinishedAsync(host, kept.Id, timeoutMs: 15_000);
        await Task.Delay(500);
        var gone = await ReadExecutionAsync(host, deleted.Id);
        var all = await ExecutionsOfAsync(host, functionId);

        Assert.Multiple(() =>
        {
            Assert.That(ran.Status, Is.EqualTo(ExecutionStatus.Completed), ran.Errors);
            Assert.That(gone, Is.Null);
            Assert.That(all.Select(e => e.Id), Is.EquivalentTo(new[] { kept.Id }), "nothing else ran");
        });
    }

    [Test]
    public async Task Worker_WhenOneExecutionReachesItTwice_ShouldRunItOnce()
    {
        // Its hint and a poll, or a scheduled row's timer and a poll, can both hand the worker the same row; the claim
        // of a lease's own owner succeeds, so only the worker's own bookkeeping stops a second run.
        await using var host = await StartAsync(new() { ["Runtime:AsyncPollIntervalMs"] = "60000" });
        var functionId = await FunctionAsync(host);
        var created = await host.SendAsync(new CreateExecutionCommand(functionId, null, true)); // hinted once on commit
        host.Services.GetRequiredService<ExecutionQueueSignal>().Queued(created.Id); // and once more

        await using var background = await StartBackgroundAsync(host);
        var execution = await WaitFinishedAsync(host, created.Id, timeoutMs: 15_000);
        await Task.Delay(500);
        var settled = await ReadExecutionAsync(host, created.Id);

        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Completed), execution.Errors);
            Assert.That(settled!.Attempts, Is.EqualTo(1), "claimed once");
            Assert.That(settled.Logs.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "ran once");
        });
    }

    [Test]
    public async Task DeleteExecution_WhenWaitingWithinTimeout_ShouldFailInProgressAndKeepIt()
    {
        await using var host = await StartAsync(); // no background services: it stays waiting
        var functionId = await FunctionAsync(host);
        var created = await host.SendAsync(new CreateExecutionCommand(functionId, null, true));

        var refused = Assert.ThrowsAsync<DomainException>(() => host.SendAsync(new DeleteExecutionCommand(functionId, created.Id)));

        Assert.That(refused!.Error.AppwriteType, Is.EqualTo("execution_in_progress"));
        Assert.That(await ReadExecutionAsync(host, created.Id), Is.Not.Null);
    }

    [Test]
    public async Task DeleteExecution_WhenFinished_ShouldDelete()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host);
        var done = await host.SendAsync(new CreateExecutionCommand(functionId));
        await WaitFinishedAsync(host, done.Id); // the journal commits shortly after the answer

        await host.SendAsync(new DeleteExecutionCommand(functionId, done.Id));

        Assert.That(await ReadExecutionAsync(host, done.Id), Is.Null);
    }

    [Test]
    public async Task GetAndDelete_WhenWaitingPastTheFunctionTimeout_ShouldReadFailedAndBeDeletable()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host, settings: new FunctionSettings { Timeout = 5 });
        var stale = Execution.Create("exe_stale" + Guid.NewGuid().ToString("N")[..8], functionId, "default", ExecutionTrigger.Http, "POST", "/", [], "",
            DateTimeOffset.UtcNow.AddSeconds(-6), async: true);
        await AddExecutionAsync(host, stale);

        Assert.That((await host.SendAsync(new GetExecutionQuery(functionId, stale.Id))).Status, Is.EqualTo("failed"));
        await host.SendAsync(new DeleteExecutionCommand(functionId, stale.Id));
        Assert.That(await ReadExecutionAsync(host, stale.Id), Is.Null);
    }

    [Test]
    public async Task GetExecution_OfAnotherFunction_ShouldBeNotFound()
    {
        await using var host = await StartAsync();
        var first = await FunctionAsync(host);
        var second = await FunctionAsync(host);
        var execution = await host.SendAsync(new CreateExecutionCommand(first, null, true));

        Assert.ThrowsAsync<NotFoundException>(() => host.SendAsync(new GetExecutionQuery(second, execution.Id)));
        Assert.ThrowsAsync<NotFoundException>(() => host.SendAsync(new DeleteExecutionCommand(second, execution.Id)));
    }

    [Test]
    public async Task CreateExecution_WhenLoggingOff_ShouldKeepLogsAndErrorsOutOfTheRecord()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host, settings: new FunctionSettings { Logging = false });

        var execution = await host.SendAsync(new CreateExecutionCommand(functionId, "x"));
        var stored = await WaitFinishedAsync(host, execution.Id);

        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo("completed"));
            Assert.That((execution.Logs, execution.Errors), Is.EqualTo(("", "")));
            Assert.That((stored.Logs, stored.Errors), Is.EqualTo(("", "")));
        });
    }

    [Test]
    public async Task CreateExecution_WhenScheduledWithoutAsync_ShouldBeAValidationError()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host);

        var error = Assert.ThrowsAsync<ValidationException>(() => host.SendAsync(
            new CreateExecutionCommand(functionId, null, false, ScheduledAt: DateTimeOffset.UtcNow.AddHours(1).Date)));

        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "scheduledAt" }));
    }
}
