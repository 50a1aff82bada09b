using FunctionsPlatform.Infrastructure.Runtime.Processes;

namespace FunctionsPlatform.Infrastructure.Runtime.Pooling;

/// <summary>A booted, sandboxed runtime process with no function yet, and what it counts against the memory budget.</summary>
internal sealed class GenericProcess(RuntimeProcess process, string runtimeId, int memoryMb)
{
    public RuntimeProcess Process { get; } = process;
    public string RuntimeId { get; } = runtimeId;
    public int MemoryMb { get; set; } = memoryMb;
}

/// <summary>
/// Generic processes waiting to be specialized, per runtime. A process leaves the pool exactly once (taken for one
/// function, or to be killed) and never comes back: there is no way to return one.
/// </summary>
internal sealed class GenericPool
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<GenericProcess>> _byRuntime = new(StringComparer.Ordinal);
    private int _count;
    private long _memoryMb;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public long MemoryMb
    {
        get
        {
            lock (_gate)
            {
                return _memoryMb;
            }
        }
    }

    public int CountOf(string runtimeId)
    {
        lock (_gate)
        {
            return _byRuntime.TryGetValue(runtimeId, out var queue) ? queue.Count : 0;
        }
    }

    public void Add(GenericProcess process)
    {
        lock (_gate)
        {
            if (!_byRuntime.TryGetValue(process.RuntimeId, out var queue))
            {
                _byRuntime[process.RuntimeId] = queue = new Queue<GenericProcess>();
            }

            queue.Enqueue(process);
            _count++;
            _memoryMb += process.MemoryMb;
        }
    }

    /// <summary>A live generic process of the runtime, out of the pool for good; dead ones met on the way are handed to <paramref name="dead"/>.</summary>
    public GenericProcess? TryTake(string runtimeId, List<GenericProcess> dead)
    {
        lock (_gate)
        {
            if (!_byRuntime.TryGetValue(runtimeId, out var queue))
            {
                return null;
            }

            while (queue.TryDequeue(out var candidate))
            {
                _count--;
                _memoryMb -= candidate.MemoryMb;
                if (candidate.Process.IsAlive)
                {
                    return candidate;
                }

                dead.Add(candidate);
            }

            return null;
        }
    }

    /// <summary>Any generic process (of the runtime with the most), for the caller to kill when a function needs the room.</summary>
    public GenericProcess? TakeAny()
    {
        lock (_gate)
        {
            var fullest = _byRuntime.Values.Where(q => q.Count > 0).MaxBy(q => q.Count);
            if (fullest is null)
            {
                return null;
            }

            var taken = fullest.Dequeue();
            _count--;
            _memoryMb -= taken.MemoryMb;
            return taken;
        }
    }

    /// <summary>Records a fresh memory sample of a pooled process (ignored once it left the pool).</summary>
    public void UpdateMemory(GenericProcess process, int memoryMb)
    {
        lock (_gate)
        {
            if (_byRuntime.TryGetValue(process.RuntimeId, out var queue) && queue.Contains(process))
            {
                _memoryMb += memoryMb - process.MemoryMb;
                process.MemoryMb = memoryMb;
            }
        }
    }

    /// <summary>Takes out the dead ones, for the caller to clean up.</summary>
    public List<GenericProcess> TakeDead()
    {
        lock (_gate)
        {
            var dead = new List<GenericProcess>();
            foreach (var (runtimeId, queue) in _byRuntime.ToList())
            {
                var alive = new Queue<GenericProcess>();
                foreach (var process in queue)
                {
                    if (process.Process.IsAlive)
                    {
                        alive.Enqueue(process);
                    }
                    else
                    {
                        dead.Add(process);
                        _count--;
                        _memoryMb -= process.MemoryMb;
                    }
                }

                _byRuntime[runtimeId] = alive;
            }

            return dead;
        }
    }

    public IReadOnlyList<GenericProcess> Snapshot()
    {
        lock (_gate)
        {
            return _byRuntime.Values.SelectMany(q => q).ToList();
        }
    }

    /// <summary>Empties the pool (shutdown).</summary>
    public IReadOnlyList<GenericProcess> TakeAll()
    {
        lock (_gate)
        {
            var all = _byRuntime.Values.SelectMany(q => q).ToList();
            _byRuntime.Clear();
            _count = 0;
            _memoryMb = 0;
            return all;
        }
    }
}
