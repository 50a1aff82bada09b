using FunctionsPlatform.Application.Executions.Commands.CreateExecution;
using FunctionsPlatform.Application.Executions.Queries.GetExecution;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using static FunctionsPlatform.Infrastructure.IntegrationTests.Handlers.ExecutionTestKit;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>Each stored execution says whether it started a process, how long that took, and whose failure it was.</summary>
public sealed class ExecutionColdStartRecordTests
{
    [Test]
    public async Task FirstCall_IsRecordedColdWithItsInitTime_SecondWarmWithNone()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host, "module.exports = async ({ res }) => res.text('hi');");

        var cold = await host.SendAsync(new CreateExecutionCommand(functionId, ""));
        var warm = await host.SendAsync(new CreateExecutionCommand(functionId, ""));
        var storedCold = await host.SendAsync(new GetExecutionQuery(functionId, cold.Id));
        var storedWarm = await host.SendAsync(new GetExecutionQuery(functionId, warm.Id));

        Assert.Multiple(() =>
        {
            Assert.That((storedCold.Status, storedCold.ErrorKind), Is.EqualTo(("completed", "none")), storedCold.Errors);
            Assert.That(storedCold.ColdStart, Is.True);
            Assert.That(storedCold.InitDurationMs, Is.GreaterThan(0));
            Assert.That(storedCold.InitDurationMs, Is.LessThanOrEqualTo(storedCold.Duration * 1000), "init is part of the run");
            Assert.That(cold.InitDurationMs, Is.EqualTo(storedCold.InitDurationMs), "the answer and the record agree");
            Assert.That(storedWarm.ColdStart, Is.False);
            Assert.That(storedWarm.InitDurationMs, Is.Zero);
        });
    }

    [Test]
    public async Task FunctionThrowing_IsTheFunctionsError_TimeoutAndSyntaxErrorAreThePlatforms()
    {
        await using var host = await StartAsync();
        var throwing = await FunctionAsync(host, "module.exports = async () => { throw new Error('mine'); };");
        var hanging = await FunctionAsync(host, "module.exports = async () => new Promise(() => {});", new FunctionSettings { Timeout = 1 });
        var broken = await FunctionAsync(host, "module.exports = async ({ res }) => { res.text('x' ;");

        var threw = await host.SendAsync(new CreateExecutionCommand(throwing, ""));
        var timedOut = await host.SendAsync(new CreateExecutionCommand(hanging, ""));
        var failedLoad = await host.SendAsync(new CreateExecutionCommand(broken, ""));

        Assert.Multiple(() =>
        {
            Assert.That((threw.Status, threw.ErrorKind), Is.EqualTo(("failed", "function")));
            Assert.That((timedOut.Status, timedOut.ErrorKind), Is.EqualTo(("failed", "timeout")));
            Assert.That((failedLoad.Status, failedLoad.ErrorKind), Is.EqualTo(("failed", "load_failed")));
            Assert.That(failedLoad.ColdStart, Is.True, "a failed load was a cold start too");
        });
        Assert.That((await ReadExecutionAsync(host, timedOut.Id))!.ErrorKind, Is.EqualTo(ExecutionErrorKind.Timeout), "stored, not only answered");
    }
}
