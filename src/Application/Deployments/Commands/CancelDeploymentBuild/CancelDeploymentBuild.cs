using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Commands.CancelDeploymentBuild;

/// <summary>
/// PATCH /v1/functions/{id}/deployments/{deploymentId}/status: cancels the build (<c>build_already_completed</c> once ready
/// or failed). A running build's process tree is killed: at once on this instance, at the worker's next heartbeat elsewhere.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CancelDeploymentBuildCommand(string FunctionId, string DeploymentId) : ICommand<DeploymentDto>, IWorkspaceScoped
{
    /// <summary>The /v1 project; empty for callers inside the platform, which see every function the principal may.</summary>
    public string WorkspaceId { get; init; } = "";
}


internal sealed class CancelDeploymentBuildHandler(IDeploymentAccess access, TimeProvider clock)
    : IRequestHandler<CancelDeploymentBuildCommand, DeploymentDto>
{
    public async Task<DeploymentDto> Handle(CancelDeploymentBuildCommand request, CancellationToken ct)
    {
        var (function, deployment) = await access.GetAsync(request.WorkspaceId, request.FunctionId, request.DeploymentId, forWrite: true, ct);
        deployment.Cancel(clock.GetUtcNow());
        DeploymentLifecycle.StatusChanged(function, deployment, clock.GetUtcNow());
        return DeploymentDto.From(deployment);
    }
}
