using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Deployments;

/// <summary>What a deployment made on the server from a source it fetched (duplicate, template, git) is built from.</summary>
internal sealed record StoredSource(string Key, long Size, string Entrypoint, string Commands, bool Activate, string Type, DeploymentProvider Provider);

/// <summary>
/// Queues a deployment whose source archive is already in the blob store, exactly as a completed upload is queued, so
/// duplicates, templates and git checkouts build like an upload. Saves by itself (the caller is self-saving): a build
/// worker finishing another deployment of the same function saves that function row too, and losing that race is
/// not the caller's error, so the change is redone on the rows as they now are rather than answered 409.
/// </summary>
internal sealed class StoredSourceDeployments(
    IFunctionAccess functions,
    IRepository<Deployment> deployments,
    IBlobStorage blobs,
    DeploymentLifecycle lifecycle,
    DeploymentSettings settings,
    IUnitOfWork unitOfWork,
    IIdGenerator ids,
    TimeProvider clock)
{
    private const int MaxSaveAttempts = 5;

    /// <summary>
    /// Stores an archive produced on the server (a packed template or checkout) under the upload's size limit:
    /// a larger one is <c>deployment_invalid_file_size</c>, as an upload would be.
    /// </summary>
    public async Task<(string Key, long Size)> StoreArchiveAsync(Stream archive, CancellationToken ct)
    {
        await using var bounded = new SizeLimitedStream(archive, settings.MaxSizeBytes);
        return await blobs.PutAsync(bounded, ct);
    }

    public async Task<DeploymentDto> QueueAsync(string workspaceId, string functionId, StoredSource source, CancellationToken ct)
    {
        var id = ids.NewId(IdPrefixes.Deployment);
        for (var attempt = 1; ; attempt++)
        {
            var function = await functions.GetForDeploymentsAsync(workspaceId, functionId, forWrite: true, ct);
            function.EnsureLive();
            var deployment = Create(id, function, source);
            await lifecycle.QueuedAsync(function, deployment, clock.GetUtcNow(), ct);
            try
            {
                await unitOfWork.SaveChangesAsync(ct);
                return DeploymentDto.From(deployment);
            }
            catch (ConflictException) when (attempt < MaxSaveAttempts)
            {
                unitOfWork.DiscardChanges();
            }
        }
    }

    private Deployment Create(string id, Function function, StoredSource source)
    {
        var now = clock.GetUtcNow();
        var deployment = Deployment.StartUpload(id, function.Id, source.Entrypoint, source.Commands, source.Activate, source.Type, source.Size, now);
        deployment.SourceStored(source.Key, source.Size, now);
        deployment.RecordProvider(source.Provider, now);
        deployments.Add(deployment);
        return deployment;
    }
}
