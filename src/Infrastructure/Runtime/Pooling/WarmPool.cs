namespace FunctionsPlatform.Infrastructure.Runtime.Pooling;

/// <summary>
/// Live runtime processes keyed by (runtime, bundle, variables, limits). The pool follows demand: a process that comes
/// back stays warm while its function has fewer idle processes than it recently needed at once (its peak of busy processes
/// over the last one or two idle timeouts, at least <see cref="WarmPoolLimits.MinIdlePerFunction"/>), and until it has been
/// unused for the idle timeout. What bounds the pool is memory: past the process cap or the memory budget, the processes
/// idle the longest, whatever their function, are killed first. Only bookkeeping happens under the lock (O(1) per take and
/// return); processes to kill are handed to <c>retire</c> outside it.
/// </summary>
internal sealed class WarmPool(WarmPoolLimits limits, TimeProvider time, Action<IReadOnlyList<PooledProcess>> retire)
{
    private static readonly TimeSpan SurplusAfterStart = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<PooledProcess>> _openByKey = [];
    private readonly Dictionary<string, FunctionLoad> _functions = [];
    private readonly LinkedList<PooledProcess> _idle = []; // least recently used first
    private readonly HashSet<PooledProcess> _live = [];
    private long _liveMemoryMb;

    public int LiveCount
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
        }
    }

    public long LiveMemoryMb
    {
        get
        {
            lock (_gate)
            {
                return _liveMemoryMb;
            }
        }
    }

    public int IdleCount
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    public int IdleCountOf(string key)
    {
        lock (_gate)
        {
            return _openByKey.TryGetValue(key, out var open) ? open.Count(p => p.InFlight == 0) : 0;
        }
    }

    public long GenerationOf(string functionId)
    {
        lock (_gate)
        {
            return _functions.TryGetValue(functionId, out var load) ? load.Generation : 0;
        }
    }

    /// <summary>Idle processes the function may keep now: its recent peak of busy processes, at least the configured floor.</summary>
    public int IdleAllowanceOf(string functionId)
    {
        lock (_gate)
        {
            return IdleAllowance(Load(functionId));
        }
    }

    /// <summary>
    /// A process of the key with room for one more request, or null. Processes serving several at once: among busy ones
    /// with room the fullest (packing requests keeps the other processes idle, so they can expire), else the most recently
    /// used idle one (warmest caches). Processes serving one at a time: the most recently used idle one; when none is idle,
    /// a fast function with enough busy processes queues the request behind the one with the fewest requests
    /// (<see cref="QueueingLimits"/>); else null and the caller starts a process.
    /// </summary>
    public PooledProcess? TryTake(string key)
    {
        List<PooledProcess>? dead = null;
        PooledProcess? chosen = null;
        PooledProcess? idle = null;
        PooledProcess? queue = null;
        lock (_gate)
        {
            if (!_openByKey.TryGetValue(key, out var open))
            {
                return null;
            }

            for (var i = open.Count - 1; i >= 0; i--)
            {
                var candidate = open[i];
                if (!candidate.Process.IsAlive || candidate.Generation != Load(candidate.FunctionId).Generation)
                {
                    if (candidate.InFlight == 0)
                    {
                        Forget(candidate);
                        (dead ??= []).Add(candidate);
                    }
                    else
                    {
                        SetOpen(candidate, false); // retires when its last request ends
                    }

                    continue;
                }

                if (candidate.Capacity > 1)
                {
                    if (chosen is null || candidate.InFlight > chosen.InFlight)
                    {
                        chosen = candidate;
                    }
                }
                else if (candidate.InFlight == 0)
                {
                    if (idle is null || candidate.IdleSince > idle.IdleSince)
                    {
                        idle = candidate;
                    }
                }
                else if ((queue is null || candidate.InFlight < queue.InFlight) && RunsFast(candidate))
                {
                    queue = candidate;
                }
            }

            chosen ??= idle ?? (queue is not null && Queues(Load(queue.FunctionId)) ? queue : null);
            if (chosen is not null)
            {
                MarkBusy(chosen);
            }
        }

        if (dead is not null)
        {
            retire(dead);
        }

        return chosen;
    }

    /// <summary>Forgets and returns the process idle the longest, of any function, for the caller to kill; null when none is idle.</summary>
    public PooledProcess? TakeLongestIdle()
    {
        lock (_gate)
        {
            if (_idle.First?.Value is not { } oldest)
            {
                return null;
            }

            Forget(oldest);
            return oldest;
        }
    }

    /// <summary>Registers a new process, busy with the request it was started for (<paramref name="busy"/>) or idle (pre-warmed).
    /// Returns false when a pre-warmed process is not wanted (the function already has its idle allowance); it is then retired.</summary>
    public bool Admit(PooledProcess process, bool busy)
    {
        List<PooledProcess> victims = [];
        var admitted = true;
        lock (_gate)
        {
            var load = Load(process.FunctionId);
            if (!busy && (load.Idle >= IdleAllowance(load) || process.Generation != load.Generation))
            {
                admitted = false;
                victims.Add(process);
            }
            else
            {
                process.Live = true;
                _live.Add(process);
                _liveMemoryMb += process.MemoryMb;
                SetOpen(process, true);
                if (busy)
                {
                    load.LastStart = time.GetUtcNow();
                    MarkBusy(process);
                }
                else
                {
                    MarkIdle(process, load);
                }

                TrimToLimits(victims, spare: process);
            }
        }

        if (victims.Count > 0)
        {
            retire(victims);
        }

        return admitted;
    }

    /// <summary>One request on the process ended without a run time to learn from (it failed, or its caller gave up).</summary>
    public void Release(PooledProcess process) => Release(process, null);

    /// <summary>
    /// One request on the process ended (<paramref name="runTime"/>: how long it ran, when it ran to an answer). The process
    /// stays (busy with others, or idle) unless it is dead, stale, its function already keeps as many idle processes as it
    /// recently needed, or its function queues requests and its other processes are enough for them; then it is retired.
    /// </summary>
    public void Release(PooledProcess process, TimeSpan? runTime)
    {
        List<PooledProcess> victims = [];
        lock (_gate)
        {
            if (!process.Live)
            {
                return;
            }

            var load = Load(process.FunctionId);
            if (runTime is { } ran && process.Capacity == 1 && limits.Queueing is { } queueing)
            {
                load.ObserveRun(ran, queueing.FastRequest);
            }

            process.InFlight--;
            load.InFlight--;
            process.RunningSince = time.GetUtcNow(); // one at a time: the next request queued on it starts now
            var healthy = process.Process.IsAlive && process.Generation == load.Generation;
            if (process.InFlight > 0)
            {
                SetOpen(process, healthy);
                return;
            }

            load.Busy--;
            if (!healthy || load.Idle >= IdleAllowance(load) || (process.Capacity == 1 && Surplus(load)))
            {
                Forget(process);
                victims.Add(process);
            }
            else
            {
                SetOpen(process, true);
                MarkIdle(process, load);
                TrimToLimits(victims, spare: null);
            }
        }

        if (victims.Count > 0)
        {
            retire(victims);
        }
    }

    /// <summary>Forgets a process the caller kills itself (timed out, crashed, abandoned mid-call). Idempotent.</summary>
    public void Remove(PooledProcess process)
    {
        lock (_gate)
        {
            Forget(process);
        }
    }

    /// <summary>Records a fresh memory sample of a live process; past the budget, the longest-idle processes are retired.</summary>
    public void UpdateMemory(PooledProcess process, int memoryMb)
    {
        List<PooledProcess> victims = [];
        lock (_gate)
        {
            if (!process.Live)
            {
                return;
            }

            _liveMemoryMb += memoryMb - process.MemoryMb;
            process.MemoryMb = memoryMb;
            TrimToLimits(victims, spare: null);
        }

        if (victims.Count > 0)
        {
            retire(victims);
        }
    }

    /// <summary>Bumps the function's generation (busy processes are retired when their requests end) and retires its idle ones.</summary>
    public void Evict(string functionId)
    {
        var victims = new List<PooledProcess>();
        lock (_gate)
        {
            Load(functionId).Generation++;
            for (var node = _idle.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.FunctionId == functionId)
                {
                    Forget(node.Value);
                    victims.Add(node.Value);
                }

                node = next;
            }
        }

        if (victims.Count > 0)
        {
            retire(victims);
        }
    }

    /// <summary>Retires processes unused for the idle timeout, and dead idle ones; walks only the expired end of the idle list.</summary>
    public void RetireExpired()
    {
        var victims = new List<PooledProcess>();
        var cutoff = time.GetUtcNow() - limits.IdleTimeout;
        lock (_gate)
        {
            for (var node = _idle.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.IdleSince <= cutoff || !node.Value.Process.IsAlive)
                {
                    Forget(node.Value);
                    victims.Add(node.Value);
                }
                else
                {
                    break; // the rest were used more recently
                }

                node = next;
            }
        }

        if (victims.Count > 0)
        {
            retire(victims);
        }
    }

    /// <summary>Every live process, for memory sampling (a copy taken under the lock).</summary>
    public IReadOnlyList<PooledProcess> Snapshot()
    {
        lock (_gate)
        {
            return _live.ToList();
        }
    }

    /// <summary>Takes every live process out of the pool (shutdown).</summary>
    public IReadOnlyList<PooledProcess> TakeAll()
    {
        lock (_gate)
        {
            var all = Snapshot();
            foreach (var process in all)
            {
                Forget(process);
            }

            return all;
        }
    }

    /// <summary>Counts of live processes by state, for metrics: busy (serving at least one request) and idle.</summary>
    public (int Busy, int Idle) CountByState()
    {
        lock (_gate)
        {
            return (_live.Count - _idle.Count, _idle.Count);
        }
    }

    private FunctionLoad Load(string functionId)
    {
        if (!_functions.TryGetValue(functionId, out var load))
        {
            _functions[functionId] = load = new FunctionLoad(time.GetUtcNow());
        }

        return load;
    }

    private int IdleAllowance(FunctionLoad load)
    {
        load.Roll(time.GetUtcNow(), limits.IdleTimeout);
        return Math.Max(limits.MinIdlePerFunction, load.RecentPeak);
    }

    /// <summary>Whether requests of the function queue behind its busy processes now.</summary>
    private bool Queues(FunctionLoad load) =>
        limits.Queueing is { Depth: > 1 } queueing && load.Fast && load.Busy >= queueing.HotProcesses;

    /// <summary>
    /// Whether the request running on the process started recently enough to queue behind it: one that has already run
    /// past a hundred times the fast time is slow this time, and the requests queued behind it would wait for it. (Far
    /// above the fast time: on a loaded host a fast request's process may wait tens of milliseconds for a core, and
    /// starting a process for that would only add one more to wait.)
    /// </summary>
    private bool RunsFast(PooledProcess process) =>
        limits.Queueing is { } queueing && time.GetUtcNow() - process.RunningSince <= 100 * queueing.FastRequest;

    /// <summary>
    /// Whether a function that queues has enough processes without one more that just became idle. Not within five seconds
    /// of the function's last start for a request: a burst's processes are not retired while it may still need them, and a
    /// function near the fast line does not start and retire processes in turn.
    /// </summary>
    private bool Surplus(FunctionLoad load)
    {
        if (limits.Queueing is not { Depth: > 1 } queueing || !load.Fast || time.GetUtcNow() - load.LastStart < SurplusAfterStart)
        {
            return false;
        }

        var needed = Math.Max(queueing.HotProcesses, (load.InFlight + queueing.Depth - 1) / queueing.Depth);
        return load.Busy + load.Idle >= needed;
    }

    /// <summary>Requests a process takes at once: its concurrency, or for one-at-a-time processes the queue depth.</summary>
    private int Room(PooledProcess process) =>
        process.Capacity > 1 ? process.Capacity : Math.Max(1, limits.Queueing?.Depth ?? 1);

    private void MarkBusy(PooledProcess process)
    {
        var load = Load(process.FunctionId);
        if (process.InFlight == 0)
        {
            if (process.IdleNode is not null)
            {
                _idle.Remove(process.IdleNode);
                process.IdleNode = null;
                load.Idle--;
            }

            load.Busy++;
            process.RunningSince = time.GetUtcNow();
            load.Roll(time.GetUtcNow(), limits.IdleTimeout);
            load.PeakThisWindow = Math.Max(load.PeakThisWindow, load.Busy);
        }

        process.InFlight++;
        load.InFlight++;
        if (process.InFlight >= Room(process))
        {
            SetOpen(process, false);
        }
    }

    private void MarkIdle(PooledProcess process, FunctionLoad load)
    {
        process.IdleSince = time.GetUtcNow();
        process.IdleNode = _idle.AddLast(process);
        load.Idle++;
    }

    private void SetOpen(PooledProcess process, bool open)
    {
        if (open == process.Open)
        {
            return;
        }

        if (open)
        {
            if (!_openByKey.TryGetValue(process.Key, out var list))
            {
                _openByKey[process.Key] = list = [];
            }

            list.Add(process);
        }
        else if (_openByKey.TryGetValue(process.Key, out var list))
        {
            list.Remove(process);
            if (list.Count == 0)
            {
                _openByKey.Remove(process.Key);
            }
        }

        process.Open = open;
    }

    /// <summary>Past the process cap or the memory budget, retires the longest-idle processes (never <paramref name="spare"/>).</summary>
    private void TrimToLimits(List<PooledProcess> victims, PooledProcess? spare)
    {
        for (var node = _idle.First; node is not null && (_live.Count > limits.MaxProcesses || _liveMemoryMb > limits.MemoryBudgetMb);)
        {
            var next = node.Next;
            if (node.Value != spare)
            {
                Forget(node.Value);
                victims.Add(node.Value);
            }

            node = next;
        }
    }

    private void Forget(PooledProcess process)
    {
        if (!process.Live)
        {
            return;
        }

        var load = Load(process.FunctionId);
        if (process.IdleNode is not null)
        {
            _idle.Remove(process.IdleNode);
            process.IdleNode = null;
            load.Idle--;
        }
        else if (process.InFlight > 0)
        {
            load.Busy--;
            load.InFlight -= process.InFlight;
        }

        SetOpen(process, false);
        process.Live = false;
        _live.Remove(process);
        _liveMemoryMb -= process.MemoryMb;
    }

    /// <summary>A function's processes by state and its recent peak of busy processes, over two rolling windows of one idle timeout.</summary>
    private sealed class FunctionLoad(DateTimeOffset now)
    {
        private DateTimeOffset _windowStart = now;

        public long Generation { get; set; }
        public int Busy { get; set; }
        public int Idle { get; set; }

        /// <summary>When a process was last started for one of its requests.</summary>
        public DateTimeOffset LastStart { get; set; }

        /// <summary>Requests running or queued on the function's processes.</summary>
        public int InFlight { get; set; }

        /// <summary>Recent mean run time of one request (exponentially weighted), and whether it counts as fast now.</summary>
        public double RunTimeUs { get; private set; } = -1;
        public bool Fast { get; private set; }
        public int PeakThisWindow { get; set; }
        private int PeakLastWindow { get; set; }

        public int RecentPeak => Math.Max(PeakThisWindow, PeakLastWindow);

        public void ObserveRun(TimeSpan ran, TimeSpan fast)
        {
            var us = ran.TotalMicroseconds;
            RunTimeUs = RunTimeUs < 0 ? us : RunTimeUs + ((us - RunTimeUs) / 8);
            // Hysteresis: a function near the line does not flip between queueing and starting processes.
            Fast = Fast ? RunTimeUs <= 2 * fast.TotalMicroseconds : RunTimeUs <= fast.TotalMicroseconds;
        }

        public void Roll(DateTimeOffset now, TimeSpan window)
        {
            var elapsed = now - _windowStart;
            if (elapsed < window)
            {
                return;
            }

            PeakLastWindow = elapsed < window * 2 ? PeakThisWindow : 0;
            PeakThisWindow = Busy;
            _windowStart = now;
        }
    }
}
