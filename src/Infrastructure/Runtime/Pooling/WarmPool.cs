using FunctionsPlatform.Infrastructure.Runtime.Processes;

namespace FunctionsPlatform.Infrastructure.Runtime.Pooling;

/// <summary>A runtime process with what the pool needs to know about it.</summary>
internal sealed class PooledProcess(RuntimeProcess process, string key, string functionId, string bundleHash, long generation)
{
    public RuntimeProcess Process { get; } = process;
    public string Key { get; } = key;
    public string FunctionId { get; } = functionId;
    public string BundleHash { get; } = bundleHash;

    /// <summary>The function's eviction generation when the process started; older = stale code or variables.</summary>
    public long Generation { get; } = generation;

    public DateTime IdleSince { get; set; } = DateTime.UtcNow;
}

/// <summary>
/// Idle processes keyed by (runtime, bundle, variables, limits), with a cap per function and a global cap on live processes.
/// Only bookkeeping happens under the lock; the caller kills what the pool hands back.
/// </summary>
internal sealed class WarmPool(int maxIdlePerFunction, int maxProcesses)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<PooledProcess>> _idleByKey = [];
    private readonly Dictionary<string, long> _generations = [];
    private readonly HashSet<PooledProcess> _live = [];

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

    public int IdleCount(string key)
    {
        lock (_gate)
        {
            return _idleByKey.TryGetValue(key, out var idle) ? idle.Count : 0;
        }
    }

    public long GenerationOf(string functionId)
    {
        lock (_gate)
        {
            return _generations.GetValueOrDefault(functionId);
        }
    }

    /// <summary>The most recently used idle process for the key (warmest caches), or null.</summary>
    public PooledProcess? TryTakeIdle(string key)
    {
        lock (_gate)
        {
            if (!_idleByKey.TryGetValue(key, out var idle))
            {
                return null;
            }

            while (idle.Count > 0)
            {
                var candidate = idle[^1];
                idle.RemoveAt(idle.Count - 1);
                if (candidate.Process.IsAlive)
                {
                    return candidate;
                }

                _live.Remove(candidate);
            }

            return null;
        }
    }

    /// <summary>Registers a new process; when the global cap is reached, hands back the oldest idle process to kill.</summary>
    public IReadOnlyList<PooledProcess> Admit(PooledProcess process)
    {
        lock (_gate)
        {
            _live.Add(process);
            var victims = new List<PooledProcess>();
            while (_live.Count > maxProcesses && OldestIdle() is { } oldest)
            {
                Forget(oldest);
                victims.Add(oldest);
            }

            return victims;
        }
    }

    /// <summary>Puts a healthy process back to idle; hands it back to kill when stale, dead or over the per-function cap.</summary>
    public bool TryReturn(PooledProcess process)
    {
        lock (_gate)
        {
            var fresh = process.Generation == _generations.GetValueOrDefault(process.FunctionId);
            var idleOfFunction = _idleByKey.Values.Sum(list => list.Count(p => p.FunctionId == process.FunctionId));
            if (!fresh || !process.Process.IsAlive || idleOfFunction >= maxIdlePerFunction || !_live.Contains(process))
            {
                _live.Remove(process);
                return false;
            }

            process.IdleSince = DateTime.UtcNow;
            if (!_idleByKey.TryGetValue(process.Key, out var idle))
            {
                _idleByKey[process.Key] = idle = [];
            }

            idle.Add(process);
            return true;
        }
    }

    public void Remove(PooledProcess process)
    {
        lock (_gate)
        {
            Forget(process);
        }
    }

    /// <summary>Bumps the function's generation (busy processes die when they return) and hands back its idle ones.</summary>
    public IReadOnlyList<PooledProcess> Evict(string functionId)
    {
        lock (_gate)
        {
            _generations[functionId] = _generations.GetValueOrDefault(functionId) + 1;
            return TakeIdleWhere(p => p.FunctionId == functionId);
        }
    }

    public IReadOnlyList<PooledProcess> TakeExpired(TimeSpan idleTimeout)
    {
        var cutoff = DateTime.UtcNow - idleTimeout;
        lock (_gate)
        {
            return TakeIdleWhere(p => p.IdleSince < cutoff || !p.Process.IsAlive);
        }
    }

    public IReadOnlyList<PooledProcess> TakeAll()
    {
        lock (_gate)
        {
            var all = _live.ToList();
            _live.Clear();
            _idleByKey.Clear();
            return all;
        }
    }

    private List<PooledProcess> TakeIdleWhere(Func<PooledProcess, bool> predicate)
    {
        var taken = new List<PooledProcess>();
        foreach (var idle in _idleByKey.Values)
        {
            taken.AddRange(idle.Where(predicate));
            idle.RemoveAll(p => predicate(p));
        }

        foreach (var process in taken)
        {
            _live.Remove(process);
        }

        return taken;
    }

    private PooledProcess? OldestIdle() => _idleByKey.Values.SelectMany(list => list).OrderBy(p => p.IdleSince).FirstOrDefault();

    private void Forget(PooledProcess process)
    {
        _live.Remove(process);
        if (_idleByKey.TryGetValue(process.Key, out var idle))
        {
            idle.Remove(process);
        }
    }
}
