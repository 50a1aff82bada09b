using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Queries.GetDeployment;

/// <summary>GET /v1/functions/{id}/deployments/{deploymentId}: also while it builds (the log so far is in it).</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record GetDeploymentQuery(string FunctionId, string DeploymentId) : IQuery<DeploymentDto>, IWorkspaceScoped
{
    /// <summary>The /v1 project; empty for callers inside the platform, which see every function the principal may.</summary>
    public string WorkspaceId { get; init; } = "";
}


internal sealed class GetDeploymentHandler(IDeploymentAccess access) : IRequestHandler<GetDeploymentQuery, DeploymentDto>
{
    public async Task<DeploymentDto> Handle(GetDeploymentQuery request, CancellationToken ct) =>
        DeploymentDto.From((await access.GetAsync(request.WorkspaceId, request.FunctionId, request.DeploymentId, forWrite: false, ct)).Deployment);
}
