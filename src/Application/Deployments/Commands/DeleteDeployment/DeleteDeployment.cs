using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Commands.DeleteDeployment;

/// <summary>
/// DELETE /v1/functions/{id}/deployments/{deploymentId}: deleting the active deployment leaves the function without code
/// (its executions then answer <c>deployment_not_found</c>); <c>latestDeployment*</c> move to the next newest. A build in
/// progress is canceled first, so its worker stops.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DeleteDeploymentCommand(string FunctionId, string DeploymentId) : ICommand<string>, IWorkspaceScoped
{
    /// <summary>The /v1 project; empty for callers inside the platform, which see every function the principal may.</summary>
    public string WorkspaceId { get; init; } = "";
}


internal sealed class DeleteDeploymentHandler(IDeploymentAccess access, DeploymentLifecycle lifecycle, TimeProvider clock)
    : IRequestHandler<DeleteDeploymentCommand, string>
{
    public async Task<string> Handle(DeleteDeploymentCommand request, CancellationToken ct)
    {
        var (function, deployment) = await access.GetAsync(request.WorkspaceId, request.FunctionId, request.DeploymentId, forWrite: true, ct);
        var now = clock.GetUtcNow();
        if (!deployment.Status.IsFinished())
        {
            deployment.Cancel(now);
        }

        await lifecycle.RemoveAsync(function, deployment, now, ct);
        return deployment.Id;
    }
}
