using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Deployments.Specifications;
using FunctionsPlatform.Domain.Deployments;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Deployments.EventHandlers;

/// <summary>
/// After a deployment's removal is saved, its source blob and its artifact go unless another deployment uses the same
/// content (a duplicate, or an equal upload): stored content is shared by key.
/// </summary>
internal sealed class DeleteUnusedDeploymentFiles(
    IReadRepository<Deployment> deployments,
    IBlobStorage blobs,
    IDeploymentArtifacts artifacts,
    IDeploymentUploads uploads,
    ILogger<DeleteUnusedDeploymentFiles> logger) : IDomainEventHandler<DeploymentRemoved>
{
    public async Task HandleAsync(DeploymentRemoved domainEvent, CancellationToken ct)
    {
        try
        {
            await uploads.DiscardAsync(domainEvent.DeploymentId, ct);
            if (domainEvent.SourceKey is { } source && !await deployments.AnyAsync(new DeploymentsUsingKeySpec(source, domainEvent.DeploymentId), ct))
            {
                await blobs.DeleteAsync(source, ct);
            }

            if (domainEvent.BuildKey is { } build && !await deployments.AnyAsync(new DeploymentsUsingKeySpec(build, domainEvent.DeploymentId), ct))
            {
                await artifacts.DeleteAsync(build, ct);
            }
        }
        catch (IOException ex)
        {
            // The row is gone already; a file left behind costs disk, not correctness.
            logger.LogWarning(ex, "Files of deleted deployment {DeploymentId} could not be removed", domainEvent.DeploymentId);
        }
    }
}
