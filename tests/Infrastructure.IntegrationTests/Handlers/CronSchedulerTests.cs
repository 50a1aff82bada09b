using System.Text.Json.Nodes;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPlatform.Infrastructure.IntegrationTests.Handlers.ExecutionTestKit;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>
/// Cron schedules: passes are driven with explicit times (the hosted loop is off), so each tick is deterministic.
/// Two scheduler instances are two service providers over one SQLite file, each with its own connections.
/// </summary>
public sealed class CronSchedulerTests
{
    private const string EveryMinute = "* * * * *";
    private static readonly DateTimeOffset T0 = new(2031, 1, 1, 12, 0, 30, TimeSpan.Zero);

    private static CronScheduler Scheduler(HandlerTestHost host) => host.Services.GetRequiredService<CronScheduler>();

    private static DateTimeOffset Minute(int minutes) => new DateTimeOffset(2031, 1, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(minutes);

    [Test]
    public async Task TwoInstancesOverOneDatabase_ShouldFireEachTickExactlyOnce()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync(new() { ["ConnectionStrings:Functions"] = $"Data Source={Path.Combine(first.DataDirectory, "functions.db")};Pooling=True" });
        var functionId = await FunctionAsync(first, settings: new FunctionSettings { Schedule = EveryMinute });
        await Scheduler(first).RunPassAsync(T0, CancellationToken.None); // computes the first tick, fires nothing

        var fired = new List<string>();
        for (var tick = 1; tick <= 4; tick++)
        {
            var at = Minute(tick).AddMilliseconds(5);
            var passes = await Task.WhenAll(
                Enumerable.Range(0, 3).Select(_ => Scheduler(first).RunPassAsync(at, CancellationToken.None))
                    .Concat(Enumerable.Range(0, 3).Select(_ => Scheduler(second).RunPassAsync(at, CancellationToken.None))));
            Assert.That(passes.Sum(p => p.Count), Is.EqualTo(1), $"tick {tick} fired once across both instances");
            fired.AddRange(passes.SelectMany(p => p));
        }

        var executions = await ExecutionsOfAsync(first, functionId);
        var function = await ReadFunctionAsync(second, functionId);
        Assert.Multiple(() =>
        {
            Assert.That(executions.Select(e => e.Id), Is.EquivalentTo(fired));
            Assert.That(executions, Has.All.Matches<Execution>(e => e.Trigger == ExecutionTrigger.Schedule && e.Status == ExecutionStatus.Waiting
                && e.RequestMethod == "POST" && e.RequestPath == "/" && e.VersionId != null));
            Assert.That(function.SchedulePrevious, Is.EqualTo(Minute(4)));
            Assert.That(function.ScheduleNext, Is.EqualTo(Minute(5)));
        });
    }

    [Test]
    public async Task DisabledFunction_ShouldNeverFireButKeepScheduleNextCurrent()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host, settings: new FunctionSettings { Schedule = EveryMinute, Enabled = false });
        await Scheduler(host).RunPassAsync(T0, CancellationToken.None);

        for (var tick = 1; tick <= 3; tick++)
        {
            Assert.That(await Scheduler(host).RunPassAsync(Minute(tick), CancellationToken.None), Is.Empty);
        }

        Assert.That(await ExecutionsOfAsync(host, functionId), Is.Empty);
        Assert.That((await ReadFunctionAsync(host, functionId)).ScheduleNext, Is.EqualTo(Minute(4)));
    }

    [Test]
    public async Task FunctionWithoutCode_ShouldNeverFire()
    {
        await using var host = await StartAsync();
        var function = Function.Create("fun_nocode" + Guid.NewGuid().ToString("N")[..8], "default", "no-code", "node-22", DateTimeOffset.UtcNow,
            settings: new FunctionSettings { Schedule = EveryMinute });
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Functions.Add(function);
            await db.SaveChangesAsync();
        }

        await Scheduler(host).RunPassAsync(T0, CancellationToken.None);
        Assert.That(await Scheduler(host).RunPassAsync(Minute(1), CancellationToken.None), Is.Empty);
        Assert.That(await ExecutionsOfAsync(host, function.Id), Is.Empty);
    }

    [Test]
    public async Task RestartAfterDowntime_ShouldFireOneCatchUpThenResumeAtTheNextTick()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host, settings: new FunctionSettings { Schedule = EveryMinute });
        await Scheduler(host).RunPassAsync(T0, CancellationToken.None); // next tick: 12:01

        // Down from 12:00:30 until 12:10:20: ten ticks missed.
        var restart = Minute(10).AddSeconds(20);
        var fired = await Scheduler(host).RunPassAsync(restart, CancellationToken.None);
        var again = await Scheduler(host).RunPassAsync(restart.AddSeconds(1), CancellationToken.None);

        var function = await ReadFunctionAsync(host, functionId);
        Assert.Multiple(() =>
        {
            Assert.That(fired, Has.Count.EqualTo(1), "one catch-up, not ten");
            Assert.That(again, Is.Empty);
            Assert.That(function.SchedulePrevious, Is.EqualTo(Minute(1)), "the catch-up stands for the first missed tick");
            Assert.That(function.ScheduleNext, Is.EqualTo(Minute(11)));
        });
    }

    [Test]
    public async Task ChangedSchedule_ShouldRecomputeTheTickWithoutFiring()
    {
        await using var host = await StartAsync();
        var functionId = await FunctionAsync(host, settings: new FunctionSettings { Schedule = EveryMinute });
        await Scheduler(host).RunPassAsync(T0, CancellationToken.None);

        await ConfigureAsync(host, functionId, new FunctionSettings { Schedule = "0 * * * *" });
        var fired = await Scheduler(host).RunPassAsync(Minute(5), CancellationToken.None);

        Assert.That(fired, Is.Empty);
        Assert.That((await ReadFunctionAsync(host, functionId)).ScheduleNext, Is.EqualTo(Minute(60)));
    }

    [Test]
    public async Task HostedScheduler_ShouldFireARealTickAndTheWorkerRunItWithTriggerSchedule()
    {
        await using var host = await StartAsync(new() { ["Scheduling:Enabled"] = "true", ["Scheduling:PollIntervalMs"] = "200" });
        var functionId = await FunctionAsync(host, settings: new FunctionSettings { Schedule = EveryMinute });
        // Put the next tick just behind us, as if a minute had just turned: the next pass fires it.
        await Scheduler(host).RunPassAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var function = db.Functions.Single(f => f.Id == functionId);
            function.ScheduleRan(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMilliseconds(-1));
            await db.SaveChangesAsync();
        }

        await using var background = await StartBackgroundAsync(host);
        Execution? execution = null;
        for (var i = 0; i < 100 && execution is null; i++)
        {
            await Task.Delay(100);
            execution = (await ExecutionsOfAsync(host, functionId)).SingleOrDefault();
        }

        Assert.That(execution, Is.Not.Null, "the hosted scheduler fired the tick");
        var finished = await WaitFinishedAsync(host, execution!.Id);
        var seen = (JsonObject)JsonNode.Parse(finished.Logs.Trim())!;
        Assert.Multiple(() =>
        {
            Assert.That(finished.Status, Is.EqualTo(ExecutionStatus.Completed), finished.Errors);
            Assert.That(seen["headers"]!["x-appwrite-trigger"]!.GetValue<string>(), Is.EqualTo("schedule"));
            Assert.That(seen["env"]!["APPWRITE_FUNCTION_TRIGGER"]!.GetValue<string>(), Is.EqualTo("schedule"));
            Assert.That(seen["method"]!.GetValue<string>(), Is.EqualTo("POST"));
        });
    }
}
