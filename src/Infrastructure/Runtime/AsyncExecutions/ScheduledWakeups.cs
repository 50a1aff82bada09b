namespace FunctionsPlatform.Infrastructure.Runtime.AsyncExecutions;

/// <summary>
/// Executions scheduled on this instance, each handed to <c>due</c> at its time. One timer, armed for the earliest
/// entry. Bounded: past <see cref="MaxPending"/> entries a new one is left to the worker's poll, as are rows scheduled
/// by other instances and any entry lost to a restart.
/// </summary>
internal sealed class ScheduledWakeups : IDisposable
{
    public const int MaxPending = 10_000;

    /// <summary>A far time is reached in steps (a timer's range is ~49 days; a wall-clock change is caught up with).</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMinutes(10);

    private readonly PriorityQueue<string, DateTimeOffset> _pending = new();
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly Action<string> _due;
    private readonly ITimer _timer;
    private DateTimeOffset? _armedFor;

    public ScheduledWakeups(TimeProvider clock, Action<string> due)
    {
        _clock = clock;
        _due = due;
        _timer = clock.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>False when the set is full (the poll will find the row).</summary>
    public bool Add(string executionId, DateTimeOffset dueAt)
    {
        lock (_lock)
        {
            if (_pending.Count >= MaxPending)
            {
                return false;
            }

            _pending.Enqueue(executionId, dueAt);
            if (_armedFor is null || dueAt < _armedFor)
            {
                Arm(dueAt);
            }

            return true;
        }
    }

    private void Fire()
    {
        var due = new List<string>();
        lock (_lock)
        {
            _armedFor = null;
            // Due by the wall clock the worker's claim checks, not by the timer's own clock: an entry the timer reached
            // a moment early is re-armed for what is left instead of being claimed and refused as not yet due.
            var now = _clock.GetUtcNow();
            while (_pending.TryPeek(out var id, out var at) && at <= now)
            {
                _pending.Dequeue();
                due.Add(id);
            }

            if (_pending.TryPeek(out _, out var next))
            {
                Arm(next);
            }
        }

        foreach (var id in due)
        {
            _due(id);
        }
    }

    private void Arm(DateTimeOffset at)
    {
        var now = _clock.GetUtcNow();
        var delay = at - now;
        // Whole milliseconds rounded up: a timer rounds a shorter wait down to zero and would fire early, again and again.
        delay = delay <= TimeSpan.Zero ? TimeSpan.Zero
            : delay > MaxTimerDelay ? MaxTimerDelay
            : TimeSpan.FromMilliseconds(Math.Ceiling(delay.TotalMilliseconds));
        _armedFor = now + delay;
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}
