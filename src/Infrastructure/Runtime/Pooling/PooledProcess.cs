using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.Runtime.Pooling;

/// <summary>What the pool needs from a live runtime process; the pool's tests stand in a fake for it.</summary>
internal interface IWarmProcess : IDisposable
{
    bool IsAlive { get; }

    Task<RuntimeResult> InvokeAsync(RuntimeRequest request, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>A runtime process with what the pool needs to know about it. Mutable state is only touched under the pool's lock.</summary>
internal sealed class PooledProcess(IWarmProcess process, string key, string functionId, string bundleHash, long generation, int capacity, int memoryMb)
{
    public IWarmProcess Process { get; } = process;
    public string Key { get; } = key;
    public string FunctionId { get; } = functionId;
    public string BundleHash { get; } = bundleHash;

    /// <summary>The function's eviction generation when the process started; older = stale code or variables.</summary>
    public long Generation { get; } = generation;

    /// <summary>Requests the process may serve at once (the function's per-process concurrency, 1 by default).</summary>
    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>What the process counts against the memory budget: an estimate at start, then its sampled proportional set size.</summary>
    public int MemoryMb { get; internal set; } = memoryMb;

    /// <summary>Names the runtime, so memory estimates are learnt per runtime.</summary>
    public string RuntimeId { get; init; } = "";

    private int _discarded;

    /// <summary>True once, for the first caller: the process is killed and its bundle released exactly once.</summary>
    public bool TryMarkDiscarded() => Interlocked.Exchange(ref _discarded, 1) == 0;

    internal int InFlight { get; set; }
    internal DateTimeOffset IdleSince { get; set; }

    /// <summary>When the request it runs now started (processes serving one at a time), to bound queueing behind it.</summary>
    internal DateTimeOffset RunningSince { get; set; }
    internal LinkedListNode<PooledProcess>? IdleNode { get; set; }
    internal bool Open { get; set; }
    internal bool Live { get; set; }
}
