namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>
/// A few launchers parked ahead of demand, each in its own fresh cgroups, so a cold start skips the mkdir and the
/// cgroup attach. An empty pool parks one on the caller's path. The owner calls <see cref="Refill"/> once its cold start
/// is over: parking meanwhile would compete with it for the CPU.
/// </summary>
internal sealed class LauncherPool(CgroupController cgroups, int size, TimeSpan parkTimeout) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<ParkedLauncher> _parked = new();
    private int _parking;
    private bool _disposed;

    public int ParkedCount
    {
        get
        {
            lock (_gate)
            {
                return _parked.Count;
            }
        }
    }

    /// <summary>A parked launcher whose groups are still unlimited: the caller writes the limits before it launches.</summary>
    public async Task<ParkedLauncher> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ParkedLauncher? launcher;
            lock (_gate)
            {
                _parked.TryDequeue(out launcher);
            }

            if (launcher is null)
            {
                return await ParkAsync(cancellationToken);
            }

            if (launcher.IsAlive)
            {
                return launcher;
            }

            launcher.Dispose();
        }
    }

    /// <summary>Parks launchers until the pool is full; does nothing when it is, or when parking is already under way.</summary>
    public void Refill()
    {
        lock (_gate)
        {
            if (_disposed || _parked.Count + _parking >= size)
            {
                return;
            }

            _parking++;
        }

        _ = Task.Run(async () =>
        {
            ParkedLauncher? launcher = null;
            try
            {
                launcher = await ParkAsync(CancellationToken.None);
            }
            catch (Processes.RuntimeSpawnException)
            {
                // The next take parks on its own path and reports the failure.
            }

            var refillAgain = false;
            lock (_gate)
            {
                _parking--;
                if (launcher is not null && !_disposed)
                {
                    _parked.Enqueue(launcher);
                    refillAgain = true;
                    launcher = null;
                }
            }

            launcher?.Dispose();
            if (refillAgain)
            {
                Refill();
            }
        });
    }

    public void Dispose()
    {
        List<ParkedLauncher> parked;
        lock (_gate)
        {
            _disposed = true;
            parked = [.. _parked];
            _parked.Clear();
        }

        foreach (var launcher in parked)
        {
            launcher.Dispose();
        }
    }

    private Task<ParkedLauncher> ParkAsync(CancellationToken cancellationToken) =>
        ParkedLauncher.ParkAsync(cgroups.Create(), parkTimeout, cancellationToken);
}
