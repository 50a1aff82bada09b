using System.Collections.Concurrent;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Application.Deployments.Building;

/// <summary>The builds running on this instance, so a cancel saved here stops its process tree at once.</summary>
public sealed class BuildCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    public void Register(string deploymentId, CancellationTokenSource build) => _running[deploymentId] = build;

    public void Unregister(string deploymentId) => _running.TryRemove(deploymentId, out _);

    public void Cancel(string deploymentId)
    {
        if (_running.TryGetValue(deploymentId, out var build))
        {
            try
            {
                build.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The build ended meanwhile.
            }
        }
    }
}

internal sealed class StopCanceledBuild(BuildCancellations builds) : IDomainEventHandler<DeploymentBuildCanceled>
{
    public Task HandleAsync(DeploymentBuildCanceled domainEvent, CancellationToken ct)
    {
        builds.Cancel(domainEvent.DeploymentId);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Wakes this instance's build workers once a queued deployment is committed: a wake-up before the commit finds nothing
/// to claim and the build would wait for the next poll.
/// </summary>
internal sealed class WakeBuildWorkers(BuildQueueSignal signal) : IDomainEventHandler<DeploymentQueued>
{
    public Task HandleAsync(DeploymentQueued domainEvent, CancellationToken ct)
    {
        signal.Announce();
        return Task.CompletedTask;
    }
}
