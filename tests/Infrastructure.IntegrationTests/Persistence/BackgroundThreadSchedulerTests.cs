using FunctionsPlatform.Infrastructure.Persistence.Executions;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Persistence;

/// <summary>The thread the execution journal commits on: one thread, in order, behind the request threads.</summary>
public sealed class BackgroundThreadSchedulerTests
{
    [Test]
    public async Task Tasks_ShouldRunInOrderOnOneNamedThread()
    {
        using var scheduler = new BackgroundThreadScheduler("Test records");
        var seen = new List<(int Order, int Thread, string? Name)>();

        var tasks = Enumerable.Range(0, 20).Select(i => Task.Factory.StartNew(
            () => seen.Add((i, Environment.CurrentManagedThreadId, Thread.CurrentThread.Name)),
            CancellationToken.None, TaskCreationOptions.None, scheduler)).ToList();
        await Task.WhenAll(tasks);

        Assert.That(seen.Select(s => s.Order), Is.EqualTo(Enumerable.Range(0, 20)));
        Assert.That(seen.Select(s => s.Thread).Distinct().Count(), Is.EqualTo(1));
        Assert.That(seen[0].Name, Is.EqualTo("Test records"));
    }

    [Test]
    public async Task Awaits_InsideAScheduledTask_ShouldResumeOnTheSameThread()
    {
        using var scheduler = new BackgroundThreadScheduler("Test records");
        var threads = await Task.Factory.StartNew(async () =>
        {
            var before = Environment.CurrentManagedThreadId;
            await Task.Delay(10);
            return (before, after: Environment.CurrentManagedThreadId);
        }, CancellationToken.None, TaskCreationOptions.None, scheduler).Unwrap();

        Assert.That(threads.after, Is.EqualTo(threads.before), "the journal's inserts after an await keep the low priority");
    }

    [Test]
    public async Task TheThread_ShouldRunAtALowerPriorityThanTheProcess()
    {
        using var scheduler = new BackgroundThreadScheduler("Test records");
        var niceness = await Task.Factory.StartNew(
            () => int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(") ")[1].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture),
            CancellationToken.None, TaskCreationOptions.None, scheduler);
        var own = int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(") ")[1].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(niceness, Is.EqualTo(Math.Min(19, own + 10)), "ten steps nicer than the threads that serve calls");
    }

    [Test]
    public async Task ATaskQueuedAfterDisposal_ShouldStillRun()
    {
        var scheduler = new BackgroundThreadScheduler("Test records");
        scheduler.Dispose();

        var ran = await Task.Factory.StartNew(() => true, CancellationToken.None, TaskCreationOptions.None, scheduler).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(ran, Is.True, "a continuation arriving after disposal runs on the thread pool, not never");
    }
}
