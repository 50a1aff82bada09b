using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Pooling;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>The pool's keep/kill policy with fake processes and a fake clock: no interpreter, no timing.</summary>
public sealed class WarmPoolPolicyTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    private FakeClock _clock = null!;
    private List<PooledProcess> _retired = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeClock();
        _retired = [];
    }

    [Test]
    public void SteadyConcurrencyAboveTheFloor_KeepsEveryProcessWarm()
    {
        var pool = Pool(minIdle: 2);
        var processes = StartBusy(pool, "fun_a", count: 16);

        processes.ForEach(pool.Release);
        var reused = Enumerable.Range(0, 16).Select(_ => pool.TryTake("fun_a/key")).ToList();

        Assert.That(_retired, Is.Empty);
        Assert.That(reused, Has.None.Null);
        Assert.That(reused, Is.EquivalentTo(processes));
    }

    [Test]
    public void IdleBeyondTheRecentPeak_IsRetiredOnReturn()
    {
        var pool = Pool(minIdle: 1);
        var processes = StartBusy(pool, "fun_a", count: 3);
        processes.ForEach(pool.Release);

        var prewarmed = Process("fun_a");
        var admitted = pool.Admit(prewarmed, busy: false);

        Assert.That(admitted, Is.False);
        Assert.That(_retired, Is.EqualTo(new[] { prewarmed }));
        Assert.That(pool.LiveCount, Is.EqualTo(3));
    }

    [Test]
    public void PeakIsForgottenAfterTwoQuietWindows()
    {
        var pool = Pool(minIdle: 2);
        StartBusy(pool, "fun_a", count: 8).ForEach(pool.Release);
        Assert.That(pool.IdleAllowanceOf("fun_a"), Is.EqualTo(8));

        _clock.Advance(IdleTimeout);
        Assert.That(pool.IdleAllowanceOf("fun_a"), Is.EqualTo(8), "the last window's peak still counts");

        _clock.Advance(IdleTimeout);
        Assert.That(pool.IdleAllowanceOf("fun_a"), Is.EqualTo(2), "back to the floor");
    }

    [Test]
    public void RetireExpired_KillsOnlyProcessesUnusedForTheIdleTimeout()
    {
        var pool = Pool(minIdle: 4);
        var old = StartBusy(pool, "fun_a", count: 1)[0];
        pool.Release(old);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var recent = StartBusy(pool, "fun_b", count: 1)[0];
        pool.Release(recent);
        _clock.Advance(TimeSpan.FromSeconds(31));

        pool.RetireExpired();

        Assert.That(_retired, Is.EqualTo(new[] { old }));
        Assert.That(pool.TryTake("fun_b/key"), Is.SameAs(recent));
    }

    [Test]
    public void OverTheMemoryBudget_TheLongestIdleProcessOfAnyFunctionGoesFirst()
    {
        var pool = Pool(minIdle: 2, memoryBudgetMb: 100);
        var a = StartBusy(pool, "fun_a", count: 1, memoryMb: 40)[0];
        pool.Release(a);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var b = StartBusy(pool, "fun_b", count: 1, memoryMb: 40)[0];
        pool.Release(b);

        var c = StartBusy(pool, "fun_c", count: 1, memoryMb: 40)[0];

        Assert.That(_retired, Is.EqualTo(new[] { a }));
        Assert.That(pool.LiveMemoryMb, Is.EqualTo(80));
        Assert.That(pool.TryTake("fun_b/key"), Is.SameAs(b));
        pool.Release(c);
    }

    [Test]
    public void BusyProcessesAreNeverRetiredForTheBudget()
    {
        var pool = Pool(minIdle: 2, memoryBudgetMb: 50);

        var busy = StartBusy(pool, "fun_a", count: 3, memoryMb: 40);

        Assert.That(_retired, Is.Empty);
        Assert.That(pool.LiveCount, Is.EqualTo(3));
        busy.ForEach(pool.Release);
        Assert.That(pool.LiveMemoryMb, Is.LessThanOrEqualTo(50));
        Assert.That(_retired, Has.Count.EqualTo(2));
    }

    [Test]
    public void MemorySample_OverTheBudget_RetiresIdleProcesses()
    {
        var pool = Pool(minIdle: 2, memoryBudgetMb: 100);
        var processes = StartBusy(pool, "fun_a", count: 2, memoryMb: 30);
        processes.ForEach(pool.Release);

        pool.UpdateMemory(processes[1], 90);

        Assert.That(_retired, Is.EqualTo(new[] { processes[0] }));
        Assert.That(pool.LiveMemoryMb, Is.EqualTo(90));
    }

    [Test]
    public void ProcessCap_RetiresTheLongestIdleToAdmitANewOne()
    {
        var pool = Pool(minIdle: 2, maxProcesses: 2);
        var first = StartBusy(pool, "fun_a", count: 2);
        first.ForEach(pool.Release);

        StartBusy(pool, "fun_b", count: 1);

        Assert.That(_retired, Is.EqualTo(new[] { first[0] }));
        Assert.That(pool.LiveCount, Is.EqualTo(2));
    }

    [Test]
    public void Evict_RetiresIdleNowAndBusyWhenTheyReturn()
    {
        var pool = Pool(minIdle: 2);
        var processes = StartBusy(pool, "fun_a", count: 2);
        pool.Release(processes[0]);

        pool.Evict("fun_a");
        Assert.That(_retired, Is.EqualTo(new[] { processes[0] }));

        pool.Release(processes[1]);
        Assert.That(_retired, Is.EqualTo(processes));
        Assert.That(pool.TryTake("fun_a/key"), Is.Null);
    }

    [Test]
    public void DeadIdleProcess_IsNeverHandedOut()
    {
        var pool = Pool(minIdle: 2);
        var process = StartBusy(pool, "fun_a", count: 1)[0];
        pool.Release(process);

        ((FakeProcess)process.Process).Alive = false;

        Assert.That(pool.TryTake("fun_a/key"), Is.Null);
        Assert.That(_retired, Is.EqualTo(new[] { process }));
        Assert.That(pool.LiveCount, Is.Zero);
    }

    [Test]
    public void ProcessWithCapacity_TakesRequestsUntilFull_ThenANewProcessIsNeeded()
    {
        var pool = Pool(minIdle: 2);
        var shared = Process("fun_a", capacity: 3);
        pool.Admit(shared, busy: true);

        var second = pool.TryTake("fun_a/key");
        var third = pool.TryTake("fun_a/key");
        var fourth = pool.TryTake("fun_a/key");

        Assert.That((second, third), Is.EqualTo((shared, shared)));
        Assert.That(fourth, Is.Null);
        pool.Release(shared);
        Assert.That(pool.TryTake("fun_a/key"), Is.SameAs(shared));
    }

    [Test]
    public void ProcessWithCapacity_GetsRequestsPackedOntoTheBusiestProcess()
    {
        var pool = Pool(minIdle: 2);
        var busy = Process("fun_a", capacity: 4);
        var idle = Process("fun_a", capacity: 4);
        pool.Admit(idle, busy: false);
        pool.Admit(busy, busy: true);

        Assert.That(pool.TryTake("fun_a/key"), Is.SameAs(busy));
        Assert.That(pool.IdleCountOf("fun_a/key"), Is.EqualTo(1));
    }

    [Test]
    public void Remove_OfABusyProcess_FreesItsCountsOnce()
    {
        var pool = Pool(minIdle: 0);
        var shared = Process("fun_a", capacity: 2);
        pool.Admit(shared, busy: true);
        pool.TryTake("fun_a/key");

        pool.Remove(shared);
        pool.Release(shared);
        pool.Remove(shared);

        Assert.That(pool.LiveCount, Is.Zero);
        Assert.That(pool.CountByState(), Is.EqualTo((0, 0)));
        Assert.That(pool.LiveMemoryMb, Is.Zero);
    }

    [Test]
    public void FastFunction_QueuesBehindItsBusyProcesses_OnceTheHotOnesAreBusy()
    {
        var pool = QueueingPool();
        var first = MakeFast(pool, "fun_a");
        var second = pool.TryTake("fun_a/key");
        Assert.That(second, Is.Null, "one busy process: below the hot count, a second process is started");
        var started = Process("fun_a");
        pool.Admit(started, busy: true);

        var queued = Enumerable.Range(0, 6).Select(_ => pool.TryTake("fun_a/key")).ToList();

        Assert.That(queued, Has.None.Null);
        Assert.That(queued.Count(p => p == first), Is.EqualTo(3), "the fewest in flight first: evenly spread");
        Assert.That(queued.Count(p => p == started), Is.EqualTo(3));
        Assert.That(pool.TryTake("fun_a/key"), Is.Null, "four per process at most (the running one included)");
    }

    [Test]
    public void IdleProcess_IsTakenBeforeAnyRequestQueues()
    {
        var pool = QueueingPool();
        var first = MakeFast(pool, "fun_a");
        var second = Process("fun_a");
        var idle = Process("fun_a");
        pool.Admit(second, busy: true);
        pool.Admit(idle, busy: false);

        Assert.That(pool.TryTake("fun_a/key"), Is.SameAs(idle));
        Assert.That(pool.TryTake("fun_a/key"), Is.Not.Null, "then it queues");
    }

    [Test]
    public void SlowFunction_NeverQueues()
    {
        var pool = QueueingPool();
        var process = StartBusy(pool, "fun_a", count: 1)[0];
        pool.Release(process, TimeSpan.FromMilliseconds(50));
        pool.TryTake("fun_a/key");
        pool.Admit(Process("fun_a"), busy: true);

        Assert.That(pool.TryTake("fun_a/key"), Is.Null);
    }

    [Test]
    public void QueueingStartsWithinTheFastTime_AndStopsOnlyPastTwiceIt()
    {
        var pool = QueueingPool(hotProcesses: 1);
        var process = MakeFast(pool, "fun_a");
        Assert.That(pool.TryTake("fun_a/key"), Is.SameAs(process));

        var stillQueued = 0;
        for (var i = 0; i < 40; i++)
        {
            pool.Release(process, TimeSpan.FromMilliseconds(7)); // the mean climbs from 1 ms towards 7 ms
            if (pool.TryTake("fun_a/key") is null)
            {
                break;
            }

            stillQueued++;
        }

        // The mean passes 3 ms after 4 runs of 7 ms and 6 ms after 14: queueing goes on in between.
        Assert.That(stillQueued, Is.InRange(10, 15));
        Assert.That(pool.TryTake("fun_a/key"), Is.Null);
    }

    [Test]
    public void NoRequestQueuesBehindOneThatHasRunLong()
    {
        var pool = QueueingPool();
        MakeFast(pool, "fun_a");
        pool.Admit(Process("fun_a"), busy: true);

        _clock.Advance(TimeSpan.FromMilliseconds(301));

        Assert.That(pool.TryTake("fun_a/key"), Is.Null, "both run a request started 301 ms ago: a process is started instead");
    }

    [Test]
    public void FastFunction_RetiresProcessesItsQueuesDoNotNeed()
    {
        var pool = QueueingPool();
        var first = MakeFast(pool, "fun_a");
        var second = Process("fun_a");
        var third = Process("fun_a");
        pool.Admit(second, busy: true);
        pool.Admit(third, busy: true);
        pool.Release(third, TimeSpan.FromMilliseconds(1));
        Assert.That(_retired, Is.Empty, "within five seconds of the last start the burst's processes stay");
        pool.TryTake("fun_a/key");
        _clock.Advance(TimeSpan.FromSeconds(5));

        pool.Release(third, TimeSpan.FromMilliseconds(1));

        Assert.That(_retired, Is.EqualTo(new[] { third }), "two busy processes hold the two requests in flight");
        pool.Release(second, TimeSpan.FromMilliseconds(1));
        Assert.That(_retired, Has.Count.EqualTo(1), "two processes (the hot count) stay");
        Assert.That(pool.TryTake("fun_a/key"), Is.SameAs(second));
        pool.Release(first);
    }

    private WarmPool QueueingPool(int hotProcesses = 2) =>
        new(new WarmPoolLimits(2, 256, 100_000, IdleTimeout, new QueueingLimits(hotProcesses, Depth: 4, FastRequest: TimeSpan.FromMilliseconds(3))), _clock, _retired.AddRange);

    /// <summary>One process of the function runs a request again after a fast one: the function counts as fast.</summary>
    private static PooledProcess MakeFast(WarmPool pool, string functionId)
    {
        var process = Process(functionId);
        pool.Admit(process, busy: true);
        pool.Release(process, TimeSpan.FromMilliseconds(1));
        Assert.That(pool.TryTake(functionId + "/key"), Is.SameAs(process));
        return process;
    }

    private WarmPool Pool(int minIdle, int maxProcesses = 256, int memoryBudgetMb = 100_000) =>
        new(new WarmPoolLimits(minIdle, maxProcesses, memoryBudgetMb, IdleTimeout), _clock, _retired.AddRange);

    private static PooledProcess Process(string functionId, int capacity = 1, int memoryMb = 10) =>
        new(new FakeProcess(), functionId + "/key", functionId, "hash", generation: 0, capacity, memoryMb);

    private static List<PooledProcess> StartBusy(WarmPool pool, string functionId, int count, int memoryMb = 10)
    {
        var processes = new List<PooledProcess>();
        for (var i = 0; i < count; i++)
        {
            var process = Process(functionId, memoryMb: memoryMb);
            pool.Admit(process, busy: true);
            processes.Add(process);
        }

        return processes;
    }

    private sealed class FakeClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class FakeProcess : IWarmProcess
    {
        public bool Alive { get; set; } = true;

        public bool IsAlive => Alive;

        public Task<RuntimeResult> InvokeAsync(RuntimeRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult(new RuntimeResult(200, [], [], "", "", TimeSpan.Zero, RuntimeFailure.None));

        public void Dispose() => Alive = false;
    }
}
