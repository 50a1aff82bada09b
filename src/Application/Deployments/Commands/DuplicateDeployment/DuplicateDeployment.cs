using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Commands.DuplicateDeployment;

/// <summary>
/// POST /v1/functions/{id}/deployments/duplicate (and the older <c>…/deployments/{id}/build</c> and
/// <c>…/builds/{buildId}</c> paths): a new deployment built from the same source archive with the function's
/// <em>current</em> entrypoint and commands, always claiming activation, as Appwrite's rebuild does.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DuplicateDeploymentCommand(string FunctionId, string DeploymentId) : ISelfSavingCommand<DeploymentDto>, IWorkspaceScoped
{
    /// <summary>The /v1 project; empty for callers inside the platform, which see every function the principal may.</summary>
    public string WorkspaceId { get; init; } = "";
}

internal sealed class DuplicateDeploymentHandler(IDeploymentAccess access, IBlobStorage blobs, StoredSourceDeployments queue)
    : IRequestHandler<DuplicateDeploymentCommand, DeploymentDto>
{
    public async Task<DeploymentDto> Handle(DuplicateDeploymentCommand request, CancellationToken ct)
    {
        var (function, original) = await access.GetAsync(request.WorkspaceId, request.FunctionId, request.DeploymentId, forWrite: false, ct);
        function.EnsureLive();

        // The source is shared by content key; a deployment whose upload never completed, or whose blob is gone, has
        // nothing to rebuild from.
        if (original.SourceKey is not { } key || await blobs.OpenAsync(key, ct) is not { } probe)
        {
            throw DeploymentAccess.NotFound(request.DeploymentId);
        }

        await probe.DisposeAsync();
        var entrypoint = string.IsNullOrEmpty(function.Entrypoint) ? original.Entrypoint : function.Entrypoint;
        var source = new StoredSource(key, original.SourceSize, entrypoint, function.Commands, Activate: true, original.Type, original.Provider);
        return await queue.QueueAsync(request.WorkspaceId, request.FunctionId, source, ct);
    }
}
