using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Commands.ActivateDeployment;

/// <summary>
/// PATCH /v1/functions/{id}/deployment: makes a <c>ready</c> deployment the function's active one (<c>build_not_ready</c>
/// otherwise). Its warm processes are started in the background once saved, as set-default does for a version.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record ActivateDeploymentCommand(string FunctionId, string DeploymentId) : ICommand<FunctionDto>, IWorkspaceScoped
{
    /// <summary>The /v1 project; empty for callers inside the platform, which see every function the principal may.</summary>
    public string WorkspaceId { get; init; } = "";
}


internal sealed class ActivateDeploymentHandler(IDeploymentAccess access, MapsterMapper.IMapper mapper, TimeProvider clock)
    : IRequestHandler<ActivateDeploymentCommand, FunctionDto>
{
    public async Task<FunctionDto> Handle(ActivateDeploymentCommand request, CancellationToken ct)
    {
        var (function, deployment) = await access.GetAsync(request.WorkspaceId, request.FunctionId, request.DeploymentId, forWrite: true, ct);
        function.ActivateDeployment(deployment, clock.GetUtcNow());
        return mapper.Map<FunctionDto>(function);
    }
}
