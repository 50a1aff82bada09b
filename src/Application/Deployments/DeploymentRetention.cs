using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Deployments.Specifications;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Deployments;

/// <summary>
/// A function's <c>deploymentRetention</c> N &gt; 0 removes its deployments older than N days, except the active one and
/// builds still in progress. Run periodically by the build workers; idempotent, so several instances may run it.
/// </summary>
public interface IDeploymentRetention
{
    /// <summary>Removes at most <paramref name="max"/> expired deployments; returns how many.</summary>
    Task<int> SweepAsync(int max, CancellationToken ct);
}

internal sealed class DeploymentRetention(
    IRepository<Function> functions,
    IRepository<Deployment> deployments,
    DeploymentLifecycle lifecycle,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IDeploymentRetention
{
    public async Task<int> SweepAsync(int max, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var removed = 0;
        foreach (var function in await functions.ListAsync(new FunctionsWithDeploymentRetentionSpec(), ct))
        {
            var before = now - TimeSpan.FromDays(function.DeploymentRetention);
            foreach (var deployment in await deployments.ListAsync(new ExpiredDeploymentsSpec(function.Id, function.DeploymentId, before, max - removed), ct))
            {
                await lifecycle.RemoveAsync(function, deployment, now, ct);
                removed++;
            }

            if (removed >= max)
            {
                break;
            }
        }

        await unitOfWork.SaveChangesAsync(ct);
        return removed;
    }
}

/// <summary>Functions (soft-deleted included: their deployments age too) that keep deployments for a limited number of days.</summary>
public sealed class FunctionsWithDeploymentRetentionSpec : Specification<Function>
{
    public FunctionsWithDeploymentRetentionSpec() => Query.Where(f => f.DeploymentRetention > 0).IgnoreQueryFilters().Tracking();
}
