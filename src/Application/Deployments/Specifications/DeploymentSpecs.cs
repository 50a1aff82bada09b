using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Application.Deployments.Specifications;

/// <summary>One deployment by id (the caller is checked through its function).</summary>
public sealed class DeploymentByIdSpec : Specification<Deployment>
{
    public DeploymentByIdSpec(string id, bool tracking = false)
    {
        Query.Where(d => d.Id == id);
        if (tracking)
        {
            Query.Tracking();
        }
    }
}

/// <summary>The other deployments of a function still claiming "activate when ready": a newer queued one takes the claim.</summary>
public sealed class DeploymentsClaimingActivationSpec : Specification<Deployment>
{
    public DeploymentsClaimingActivationSpec(string functionId, string exceptId) =>
        Query.Where(d => d.FunctionId == functionId && d.Activate && d.Id != exceptId).Tracking();
}

/// <summary>A function's newest deployment other than <paramref name="exceptId"/>: what <c>latestDeployment*</c> points to.</summary>
public sealed class NewestDeploymentSpec : Specification<Deployment>
{
    public NewestDeploymentSpec(string functionId, string exceptId) =>
        Query.Where(d => d.FunctionId == functionId && d.Id != exceptId).OrderByDescending(d => d.CreatedAt).OrderByDescending(d => d.Id).Take(1);
}

/// <summary>Whether any deployment other than <paramref name="exceptId"/> still uses a source or build key.</summary>
public sealed class DeploymentsUsingKeySpec : Specification<Deployment>
{
    public DeploymentsUsingKeySpec(string key, string exceptId) =>
        Query.Where(d => d.Id != exceptId && (d.SourceKey == key || d.BuildKey == key));
}

/// <summary>A function's deployments created before <paramref name="before"/>, finished and not the active one: what retention removes.</summary>
public sealed class ExpiredDeploymentsSpec : Specification<Deployment>
{
    public ExpiredDeploymentsSpec(string functionId, string? activeId, DateTimeOffset before, int max) =>
        Query.Where(d => d.FunctionId == functionId && d.CreatedAt < before && d.Id != activeId
                && (d.Status == DeploymentStatus.Ready || d.Status == DeploymentStatus.Failed || d.Status == DeploymentStatus.Canceled
                    || (d.Status == DeploymentStatus.Waiting && d.SourceKey == null)))
            .OrderBy(d => d.CreatedAt).Take(max).Tracking();
}

/// <summary>Every deployment of one function: the scope of its deployment list.</summary>
public sealed class DeploymentsOfFunctionSpec : Specification<Deployment>
{
    public DeploymentsOfFunctionSpec(string functionId) => Query.Where(d => d.FunctionId == functionId);
}
