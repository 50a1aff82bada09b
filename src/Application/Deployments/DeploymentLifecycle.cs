using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Deployments.Specifications;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Deployments;

/// <summary>
/// Appwrite's rules that span a function and its deployments: the last queued deployment claiming activation wins,
/// a ready deployment still holding the claim becomes active, <c>latestDeployment*</c> follow the newest deployment,
/// and removing the active deployment leaves the function without code. The caller saves.
/// </summary>
internal sealed class DeploymentLifecycle(IRepository<Deployment> deployments, BuildQueueSignal signal)
{
    /// <summary>The whole source is stored: the deployment is queued; an activation claim takes it from the others.</summary>
    public async Task QueuedAsync(Function function, Deployment deployment, DateTimeOffset now, CancellationToken ct)
    {
        if (deployment.Activate)
        {
            foreach (var other in await deployments.ListAsync(new DeploymentsClaimingActivationSpec(function.Id, deployment.Id), ct))
            {
                other.WithdrawActivation(now);
            }
        }

        StatusChanged(function, deployment, now);
        signal.Announce();
    }

    /// <summary>A build finished: a ready deployment holding the claim becomes the function's active one.</summary>
    public static void BuildFinished(Function function, Deployment deployment, DateTimeOffset now)
    {
        if (deployment.Status == DeploymentStatus.Ready && deployment.Activate && !function.IsDeleted)
        {
            function.ActivateDeployment(deployment, now);
        }

        StatusChanged(function, deployment, now);
    }

    /// <summary>Keeps <c>latestDeploymentStatus</c> true when the newest deployment moves on.</summary>
    public static void StatusChanged(Function function, Deployment deployment, DateTimeOffset now)
    {
        if (function.LatestDeploymentId == deployment.Id || function.LatestDeploymentCreatedAt is null || function.LatestDeploymentCreatedAt <= deployment.CreatedAt)
        {
            function.TrackLatestDeployment(deployment, now);
        }
    }

    /// <summary>Removes a deployment: the function loses it as active and as latest (the next newest takes over).</summary>
    public async Task RemoveAsync(Function function, Deployment deployment, DateTimeOffset now, CancellationToken ct)
    {
        function.DeploymentRemoved(deployment.Id, now);
        if (function.LatestDeploymentId == deployment.Id)
        {
            function.TrackLatestDeployment(await deployments.FirstOrDefaultAsync(new NewestDeploymentSpec(function.Id, deployment.Id), ct), now);
        }

        deployment.Remove(now);
        deployments.Remove(deployment);
    }
}

/// <summary>
/// Wakes the build workers of this instance when a deployment was queued here, so a quick build starts at once rather
/// than at the next poll. Other instances find the row at their next poll.
/// </summary>
public sealed class BuildQueueSignal : IDisposable
{
    private readonly SemaphoreSlim _announced = new(0, 1);

    public void Announce()
    {
        try
        {
            if (_announced.CurrentCount == 0)
            {
                _announced.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already announced: one wake-up covers every queued build.
        }
    }

    /// <summary>Returns when announced or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _announced.WaitAsync(timeout, ct);

    public void Dispose() => _announced.Dispose();
}
