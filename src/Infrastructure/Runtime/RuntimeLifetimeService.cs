using Microsoft.Extensions.Hosting;

namespace FunctionsPlatform.Infrastructure.Runtime;

/// <summary>Cleans stale bundles at start, reaps idle processes on a timer, and kills every runtime process at shutdown.</summary>
internal sealed class RuntimeLifetimeService(ProcessRuntimeExecutor executor, Bundles.BundleStore bundles) : IHostedService, IDisposable
{
    private Timer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        bundles.Sweep(everythingUnreferenced: true);
        _timer = new Timer(_ => executor.Maintain(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }

        executor.Dispose();
    }

    public void Dispose() => _timer?.Dispose();
}
