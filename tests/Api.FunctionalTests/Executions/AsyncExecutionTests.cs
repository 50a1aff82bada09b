using System.Net;
using System.Net.Http.Json;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Api.FunctionalTests.Executions;

/// <summary>Durable asynchronous executions: rows claimed by the server's background worker with a lease.</summary>
public sealed class AsyncExecutionTests : FunctionalTestBase
{
    private const string Code = "module.exports = async ({ req, res, log }) => { log('async ' + req.bodyText); return res.json({ done: true }); };";

    private async Task<(string FunctionId, string VersionId)> FunctionWithCodeAsync()
    {
        var function = await CreateFunctionAsync();
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { new { path = "index.js", content = Code } } }), HttpStatusCode.OK);
        return (function["id"]!.GetValue<string>(), versionId);
    }

    private static async Task<Execution> AddAsync(string functionId, string versionId, Action<Execution>? prepare = null, DateTimeOffset? scheduledAt = null)
    {
        await using var scope = TestServer.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var execution = Execution.Create("exe_" + Guid.NewGuid().ToString("N")[..20], functionId, TestServer.DefaultWorkspace, ExecutionTrigger.Http, "POST", "/",
            [new HeaderPair("content-type", "text/plain")], "payload", DateTimeOffset.UtcNow, versionId: versionId, scheduledAt: scheduledAt, async: true);
        prepare?.Invoke(execution);
        db.Executions.Add(execution);
        await db.SaveChangesAsync();
        return execution;
    }

    private static async Task<Execution> WaitFinishedAsync(string id)
    {
        for (var i = 0; i < 150; i++)
        {
            await using var scope = TestServer.Services.CreateAsyncScope();
            var execution = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Executions.IgnoreQueryFilters().AsNoTracking().SingleAsync(e => e.Id == id);
            if (execution.IsFinished)
            {
                return execution;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"execution {id} never finished");
        return null!;
    }

    [Test]
    public async Task WaitingExecution_ShouldBeClaimedRunAndCompleted()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync();

        var execution = await WaitFinishedAsync((await AddAsync(functionId, versionId)).Id);

        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Completed), execution.Errors);
            Assert.That(execution.ResponseStatusCode, Is.EqualTo(200));
            Assert.That(execution.Logs, Is.EqualTo("async payload\n"));
            Assert.That(execution.ResponseBody, Is.Null, "async executions keep no body");
            Assert.That(execution.Attempts, Is.EqualTo(1));
            Assert.That(execution.LeaseOwner, Is.Null);
        });
    }

    [Test]
    public async Task QueuedRunOfASoftDeletedVersion_ShouldFailWithTheDomainReasonWithoutRunning()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync();
        var fork = await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/function-versions/{versionId}/fork", new { name = "v2" }), HttpStatusCode.Created);
        var forkId = fork["id"]!.GetValue<string>();
        (await Admin.DeleteAsync($"/api/function-versions/{forkId}")).EnsureSuccessStatusCode();

        var execution = await WaitFinishedAsync((await AddAsync(functionId, forkId)).Id);

        Assert.Multiple(() =>
        {
            Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Failed));
            Assert.That(execution.Errors, Is.EqualTo(Domain.FunctionVersions.FunctionVersionErrors.Deleted.Message));
            Assert.That(execution.Logs, Is.Empty, "nothing ran");
            Assert.That(execution.ResponseStatusCode, Is.EqualTo(500));
        });
    }

    [Test]
    public async Task ExpiredLeaseOfADeadInstance_ShouldBeRecoveredAndRun()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync();
        var orphan = await AddAsync(functionId, versionId, e => e.Claim("dead-instance", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromSeconds(30)));

        var execution = await WaitFinishedAsync(orphan.Id);

        Assert.That(execution.Status, Is.EqualTo(ExecutionStatus.Completed), execution.Errors);
        Assert.That(execution.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task TwoWorkersRacingForOneExecution_ExactlyOneWinsTheLease()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync();
        // Scheduled an hour ahead: this server's worker leaves it alone; the racers claim "two hours later".
        var execution = await AddAsync(functionId, versionId, scheduledAt: DateTimeOffset.UtcNow.AddHours(1));
        var later = DateTimeOffset.UtcNow.AddHours(2);

        async Task<bool> Claim(string owner)
        {
            await using var scope = TestServer.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IExecutionLeases>().TryClaimAsync(execution.Id, owner, later, TimeSpan.FromMinutes(1), CancellationToken.None);
        }

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Claim("racer-" + i)));

        Assert.That(outcomes.Count(won => won), Is.EqualTo(1));
        Assert.That(await Claim("late"), Is.False, "a live lease refuses other owners");
    }
}
