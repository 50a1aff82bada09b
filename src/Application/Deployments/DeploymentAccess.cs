using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Deployments.Specifications;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Deployments;

/// <summary>
/// Loads a deployment through its function: 404 when the function is not visible to the caller, and 404 when the
/// deployment belongs to another function (whether it exists elsewhere is nobody's business).
/// </summary>
public interface IDeploymentAccess
{
    /// <summary><paramref name="workspaceId"/> empty: any function the caller may see (internal callers); else only that workspace's.</summary>
    Task<(Function Function, Deployment Deployment)> GetAsync(string workspaceId, string functionId, string deploymentId, bool forWrite, CancellationToken ct);
}

internal sealed class DeploymentAccess(IFunctionAccess functions, IRepository<Deployment> deployments) : IDeploymentAccess
{
    public async Task<(Function Function, Deployment Deployment)> GetAsync(string workspaceId, string functionId, string deploymentId, bool forWrite, CancellationToken ct)
    {
        var function = await functions.GetForDeploymentsAsync(workspaceId, functionId, forWrite, ct);
        var deployment = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(deploymentId, tracking: forWrite), ct);
        if (deployment is null || deployment.FunctionId != function.Id)
        {
            throw NotFound(deploymentId);
        }

        return (function, deployment);
    }

    public static NotFoundException NotFound(string id) => new("Deployment", id, "deployment_not_found");
}

internal static class DeploymentFunctions
{
    /// <summary>
    /// The function a deployment request addresses: on /v1 it must be in the request's project (another workspace's
    /// function is <c>function_not_found</c>, as if it did not exist); without a workspace, any function the caller sees.
    /// </summary>
    public static Task<Function> GetForDeploymentsAsync(this IFunctionAccess functions, string workspaceId, string functionId, bool forWrite, CancellationToken ct) =>
        workspaceId.Length > 0
            ? functions.GetInWorkspaceAsync(workspaceId, functionId, ct, forWrite)
            : forWrite ? functions.GetWritableAsync(functionId, ct) : functions.GetVisibleAsync(functionId, ct);
}
