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
