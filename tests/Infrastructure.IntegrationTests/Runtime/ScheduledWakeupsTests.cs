using System.Collections.Concurrent;
using FunctionsPlatform.Infrastructure.Runtime.AsyncExecutions;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>The in-process timers of scheduled executions, on the real clock: order, never early, bounded.</summary>
public sealed class ScheduledWakeupsTests
{
    [Test]
    public async Task Add_ShouldHandEachOverAtItsTimeInTimeOrderNeverEarly()
    {
        var fired = new ConcurrentQueue<(string Id, DateTimeOffset At)>();
        using var wakeups = new ScheduledWakeups(TimeProvider.System, id => fired.Enqueue((id, DateTimeOffset.UtcNow)));
        var start = DateTimeOffset.UtcNow;
        var due = new Dictionary<string, DateTimeOffset>
        {
            ["late"] = start.AddMilliseconds(600),
            ["early"] = start.AddMilliseconds(200),
            ["middle"] = start.AddMilliseconds(400),
        };
        foreach (var (id, at) in due)
        {
            Assert.That(wakeups.Add(id, at), Is.True);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (fired.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var order = fired.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(order.Select(f => f.Id), Is.EqualTo(new[] { "early", "middle", "late" }));
            Assert.That(order.Where(f => f.At < due[f.Id]), Is.Empty, "none before its time");
            Assert.That(wakeups.Count, Is.Zero);
        });
    }

    [Test]
    public async Task Add_WhenAlreadyDue_ShouldHandOverAtOnce()
    {
        var fired = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var wakeups = new ScheduledWakeups(TimeProvider.System, id => fired.TrySetResult(id));

        wakeups.Add("past", DateTimeOffset.UtcNow.AddSeconds(-1));

        Assert.That(await fired.Task.WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo("past"));
    }

    [Test]
    public void Add_WhenFull_ShouldRefuseAndLeaveTheRowToThePoll()
    {
        using var wakeups = new ScheduledWakeups(TimeProvider.System, _ => { });
        var far = DateTimeOffset.UtcNow.AddHours(1);
        for (var i = 0; i < ScheduledWakeups.MaxPending; i++)
        {
            wakeups.Add($"exe_{i}", far);
        }

        Assert.Multiple(() =>
        {
            Assert.That(wakeups.Add("exe_one_more", far), Is.False);
            Assert.That(wakeups.Count, Is.EqualTo(ScheduledWakeups.MaxPending));
        });
    }
}
