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
    Task<(Function Function, Deployment Deployment)> GetAsync(string functionId, string deploymentId, bool forWrite, CancellationToken ct);
}

internal sealed class DeploymentAccess(IFunctionAccess functions, IRepository<Deployment> deployments) : IDeploymentAccess
{
    public async Task<(Function Function, Deployment Deployment)> GetAsync(string functionId, string deploymentId, bool forWrite, CancellationToken ct)
    {
        var function = forWrite ? await functions.GetWritableAsync(functionId, ct) : await functions.GetVisibleAsync(functionId, ct);
        var deployment = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(deploymentId, tracking: forWrite), ct);
        if (deployment is null || deployment.FunctionId != function.Id)
        {
            throw NotFound(deploymentId);
        }

        return (function, deployment);
    }

    public static NotFoundException NotFound(string id) => new("Deployment", id, "deployment_not_found");
}
