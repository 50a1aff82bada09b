using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Deployments.Specifications;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Commands.CreateDeployment;

/// <summary>
/// POST /v1/functions/{id}/deployments: one request of an upload. Without <see cref="ContentRange"/> the code is the whole
/// archive; with it, one part (Appwrite's 5 MiB chunks; the first creates the deployment, later ones name it in
/// <see cref="UploadId"/>, possibly in parallel and out of order). The deployment is queued for its build once every
/// byte range is stored. Self-saving: no transaction is held while an archive streams in.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateDeploymentCommand(
    string FunctionId,
    Stream Code,
    string? FileName,
    bool Activate,
    string? Entrypoint = null,
    string? Commands = null,
    string? ContentRange = null,
    string? UploadId = null,
    string Type = "manual") : ISelfSavingCommand<DeploymentDto>, IWorkspaceScoped
{
    /// <summary>The /v1 project; empty for callers inside the platform, which see every function the principal may.</summary>
    public string WorkspaceId { get; init; } = "";
}


internal sealed class CreateDeploymentHandler(
    IFunctionAccess functions,
    IRepository<Deployment> deployments,
    IDeploymentUploads uploads,
    IBlobStorage blobs,
    DeploymentLifecycle lifecycle,
    DeploymentUploadLocks locks,
    DeploymentSettings settings,
    IUnitOfWork unitOfWork,
    IIdGenerator ids,
    TimeProvider clock)
    : IRequestHandler<CreateDeploymentCommand, DeploymentDto>
{
    private const int MaxSaveAttempts = 5;

    public async Task<DeploymentDto> Handle(CreateDeploymentCommand request, CancellationToken ct)
    {
        var function = await functions.GetForDeploymentsAsync(request.WorkspaceId, request.FunctionId, forWrite: true, ct);
        function.EnsureLive();
        if (request.FileName is { } name && !name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("code", "The code must be a .tar.gz archive.", "storage_file_type_unsupported");
        }

        var entrypoint = request.Entrypoint ?? function.Entrypoint ?? "";
        if (entrypoint.Length == 0)
        {
            throw new NotFoundException("Entrypoint", null, "function_entrypoint_missing");
        }

        var commands = request.Commands ?? function.Commands;
        if (request.ContentRange is null)
        {
            return await StoreWholeAsync(request, function, entrypoint, commands, ct);
        }

        if (!Abstractions.Deployments.ContentRange.TryParse(request.ContentRange, out var range))
        {
            throw new DomainException(DeploymentErrors.InvalidContentRange);
        }

        EnsureWithinLimit(range.Total);
        var id = request.UploadId ?? ids.NewId(IdPrefixes.Deployment);
        using (await locks.TakeAsync(id, ct))
        {
            var existing = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(id), ct);
            if (existing is null)
            {
                await SaveAgainstFunctionAsync(request, current =>
                {
                    var created = Deployment.StartUpload(id, current.Id, entrypoint, commands, request.Activate, request.Type, range.Total, clock.GetUtcNow());
                    deployments.Add(created);
                    DeploymentLifecycle.StatusChanged(current, created, clock.GetUtcNow());
                    return Task.FromResult(created.Id);
                }, ct);
            }
            else if (existing.FunctionId != function.Id)
            {
                throw DeploymentAccess.NotFound(id);
            }
            else if (existing.SourceKey is not null)
            {
                return DeploymentDto.From(existing); // a repeated chunk of a complete upload changes nothing
            }
            else if (existing.SourceSize != range.Total)
            {
                throw new DomainException(DeploymentErrors.InvalidContentRange.WithMessage("The chunk's total size differs from the upload's."));
            }
        }

        var progress = await uploads.StorePartAsync(id, range, request.Code, ct);
        using (await locks.TakeAsync(id, ct))
        {
            (string Key, long Size)? assembled = null;
            var (stored, queued) = await SaveAgainstFunctionAsync(request, async current =>
            {
                var deployment = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(id, tracking: true), ct)
                    ?? throw DeploymentAccess.NotFound(id);
                if (deployment.SourceKey is not null)
                {
                    return (deployment, false);
                }

                deployment.PartsStored(progress.DistinctParts, clock.GetUtcNow());
                if (progress.Complete)
                {
                    var (key, size) = assembled ??= await uploads.AssembleAsync(id, range.Total, ct);
                    deployment.SourceStored(key, size, clock.GetUtcNow());
                    await lifecycle.QueuedAsync(current, deployment, clock.GetUtcNow(), ct);
                }

                return (deployment, progress.Complete);
            }, ct);
            if (queued)
            {
                await uploads.DiscardAsync(id, CancellationToken.None);
            }

            return DeploymentDto.From(stored);
        }
    }

    private async Task<DeploymentDto> StoreWholeAsync(CreateDeploymentCommand request, Function function, string entrypoint, string commands, CancellationToken ct)
    {
        var id = request.UploadId ?? ids.NewId(IdPrefixes.Deployment);
        var existing = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(id), ct);
        if (existing is not null)
        {
            return existing.FunctionId == function.Id && existing.SourceKey is not null
                ? DeploymentDto.From(existing)
                : throw DeploymentAccess.NotFound(id);
        }

        await using var bounded = new SizeLimitedStream(request.Code, settings.MaxSizeBytes);
        var (key, size) = await blobs.PutAsync(bounded, ct);
        if (size == 0)
        {
            throw new ValidationException("code", "The uploaded file is empty.", "storage_file_empty");
        }

        var deployment = await SaveAgainstFunctionAsync(request, async current =>
        {
            var now = clock.GetUtcNow();
            var created = Deployment.StartUpload(id, current.Id, entrypoint, commands, request.Activate, request.Type, size, now);
            created.SourceStored(key, size, now);
            deployments.Add(created);
            await lifecycle.QueuedAsync(current, created, now, ct);
            return created;
        }, ct);
        return DeploymentDto.From(deployment);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the function as stored now and saves. A build worker finishing another
    /// deployment of the same function saves that function row too (latest and active deployment); losing that race
    /// is not the uploader's error, so the change is redone on the rows as they now are rather than answered 409.
    /// </summary>
    private async Task<T> SaveAgainstFunctionAsync<T>(CreateDeploymentCommand request, Func<Function, Task<T>> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var function = await functions.GetForDeploymentsAsync(request.WorkspaceId, request.FunctionId, forWrite: true, ct);
            var result = await change(function);
            try
            {
                await unitOfWork.SaveChangesAsync(ct);
                return result;
            }
            catch (ConflictException) when (attempt < MaxSaveAttempts)
            {
                unitOfWork.DiscardChanges();
            }
        }
    }

    private void EnsureWithinLimit(long total)
    {
        if (settings.MaxSizeBytes > 0 && total > settings.MaxSizeBytes)
        {
            throw new DomainException(DeploymentErrors.InvalidFileSize);
        }
    }
}
