using System.Collections.Concurrent;
using System.Threading.Channels;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.Runtime.AsyncExecutions;

/// <summary>
/// A one-slot channel: <see cref="Notify"/> drops a token if none is pending, the worker's wait takes it. Many enqueues
/// between two polls cost one extra poll, not one each. A scheduled execution becomes a hint at its time.
/// </summary>
internal sealed class ExecutionQueueSignal : IExecutionQueueSignal, IDisposable
{
    private readonly ScheduledWakeups _scheduled;

    public ExecutionQueueSignal(TimeProvider clock) => _scheduled = new ScheduledWakeups(clock, Queued);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Hints beyond this are dropped: the poll finds those rows anyway.</summary>
    private const int MaxHints = 1024;

    private readonly ConcurrentQueue<string> _hints = new();

    public void Notify() => _wake.Writer.TryWrite(true);

    public void Queued(string executionId)
    {
        if (_hints.Count < MaxHints)
        {
            _hints.Enqueue(executionId);
        }

        Notify();
    }

    public void QueuedFor(string executionId, DateTimeOffset dueAt) => _scheduled.Add(executionId, dueAt);

    /// <summary>Scheduled executions whose time has not come yet.</summary>
    public int PendingScheduled => _scheduled.Count;

    public void Dispose() => _scheduled.Dispose();

    /// <summary>Up to <paramref name="max"/> executions named since the last call, oldest first.</summary>
    public IReadOnlyList<string> TakeHints(int max)
    {
        var taken = new List<string>();
        while (taken.Count < max && _hints.TryDequeue(out var id))
        {
            taken.Add(id);
        }

        return taken;
    }

    /// <summary>Waits for a wake-up or for <paramref name="timeout"/>, whichever is first; true when woken.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_wake.Reader.TryRead(out _))
        {
            return true;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            await _wake.Reader.WaitToReadAsync(timer.Token);
            return _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
