using FluentValidation;
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
using ValidationException = FunctionsPlatform.Application.Common.Errors.ValidationException;

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
    IDeploymentUploadBody Upload,
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
    IDeploymentChunkProgress chunkProgress,
    IBlobStorage blobs,
    DeploymentLifecycle lifecycle,
    DeploymentUploadLocks locks,
    DeploymentSettings settings,
    IValidator<DeploymentUploadFields> fieldsValidator,
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
        if (request.Upload.FileName is { } name && !name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("code", "The code must be a .tar.gz archive.", "storage_file_type_unsupported");
        }

        if (request.ContentRange is null)
        {
            return await StoreWholeAsync(request, function, ct);
        }

        if (!Abstractions.Deployments.ContentRange.TryParse(request.ContentRange, out var range))
        {
            throw new DomainException(DeploymentErrors.InvalidContentRange);
        }

        EnsureWithinLimit(range.Total);
        var id = request.UploadId ?? ids.NewId(IdPrefixes.Deployment);
        var existing = request.UploadId is null ? null : await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(id), ct);
        if (existing is not null)
        {
            if (existing.FunctionId != function.Id)
            {
                throw DeploymentAccess.NotFound(id);
            }

            if (existing.SourceKey is not null)
            {
                return DeploymentDto.From(existing); // a repeated chunk of a complete upload changes nothing
            }

            if (existing.SourceSize != range.Total)
            {
                throw new DomainException(DeploymentErrors.InvalidContentRange.WithMessage("The chunk's total size differs from the upload's."));
            }
        }

        try
        {
            // The chunk is written at its offset before the fields behind it are read; it counts only once they are valid.
            UploadProgress progress;
            DeploymentUploadFields fields;
            await using (var part = await uploads.WritePartAsync(id, range, request.Upload.Code, ct))
            {
                fields = await ReadValidFieldsAsync(request, function, ct);
                progress = await part.KeepAsync(ct);
            }

            if (existing is not null && !progress.Complete)
            {
                existing.PartsStored(progress.DistinctParts, clock.GetUtcNow());
                await chunkProgress.RecordAsync(existing, ct);
                return DeploymentDto.From(existing);
            }

            return await RecordChunkAsync(request, id, range, fields, progress, ct);
        }
        catch when (request.UploadId is null && existing is null)
        {
            // A first chunk refused before its deployment was saved leaves nothing behind; nobody else knows this id yet.
            if (await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(id), CancellationToken.None) is null)
            {
                await uploads.DiscardAsync(id, CancellationToken.None);
            }

            throw;
        }
    }

    /// <summary>
    /// The first chunk creates the deployment (one commit with the function's <c>latestDeployment*</c>); the chunk that
    /// completes the upload moves the archive into blob storage and queues the build. Serialised per upload on this
    /// instance, so two chunks completing together assemble once.
    /// </summary>
    private async Task<DeploymentDto> RecordChunkAsync(CreateDeploymentCommand request, string id, ContentRange range, DeploymentUploadFields fields, UploadProgress progress, CancellationToken ct)
    {
        using (await locks.TakeAsync(id, ct))
        {
            (string Key, long Size)? assembled = null;
            var (stored, queued) = await SaveAgainstFunctionAsync(request, async current =>
            {
                var now = clock.GetUtcNow();
                var deployment = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(id, tracking: true), ct);
                if (deployment is null)
                {
                    deployment = Deployment.StartUpload(id, current.Id, Entrypoint(fields, current), fields.Commands ?? current.Commands,
                        fields.Activate, request.Type, range.Total, now);
                    deployments.Add(deployment);
                    DeploymentLifecycle.StatusChanged(current, deployment, now);
                }
                else if (deployment.FunctionId != current.Id)
                {
                    throw DeploymentAccess.NotFound(id);
                }
                else if (deployment.SourceKey is not null)
                {
                    return (deployment, false);
                }

                deployment.PartsStored(progress.DistinctParts, now);
                if (progress.Complete)
                {
                    var (key, size) = assembled ??= await uploads.AssembleAsync(id, range.Total, ct);
                    deployment.SourceStored(key, size, now);
                    await lifecycle.QueuedAsync(current, deployment, now, ct);
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

    private async Task<DeploymentDto> StoreWholeAsync(CreateDeploymentCommand request, Function function, CancellationToken ct)
    {
        var id = request.UploadId ?? ids.NewId(IdPrefixes.Deployment);
        var existing = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(id), ct);
        if (existing is not null)
        {
            return existing.FunctionId == function.Id && existing.SourceKey is not null
                ? DeploymentDto.From(existing)
                : throw DeploymentAccess.NotFound(id);
        }

        string key;
        long size;
        await using (var bounded = new SizeLimitedStream(request.Upload.Code, settings.MaxSizeBytes))
        {
            (key, size) = await blobs.PutAsync(bounded, ct);
        }

        try
        {
            if (size == 0)
            {
                throw new ValidationException("code", "The uploaded file is empty.", "storage_file_empty");
            }

            var fields = await ReadValidFieldsAsync(request, function, ct);
            var deployment = await SaveAgainstFunctionAsync(request, async current =>
            {
                var now = clock.GetUtcNow();
                var created = Deployment.StartUpload(id, current.Id, Entrypoint(fields, current), fields.Commands ?? current.Commands,
                    fields.Activate, request.Type, size, now);
                created.SourceStored(key, size, now);
                deployments.Add(created);
                await lifecycle.QueuedAsync(current, created, now, ct);
                return created;
            }, ct);
            return DeploymentDto.From(deployment);
        }
        catch
        {
            // Refused after the archive was stored: its blob goes unless a deployment holds the same content (this one
            // too, should the failure have come after its save).
            if (!await deployments.AnyAsync(new DeploymentsUsingKeySpec(key, exceptId: ""), CancellationToken.None))
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
            }

            throw;
        }
    }

    /// <summary>The fields follow the archive in the body, so their rules are checked here rather than before the handler.</summary>
    private async Task<DeploymentUploadFields> ReadValidFieldsAsync(CreateDeploymentCommand request, Function function, CancellationToken ct)
    {
        var fields = await request.Upload.ReadFieldsAsync(ct);
        var result = await fieldsValidator.ValidateAsync(fields, ct);
        if (!result.IsValid)
        {
            throw new ValidationException(result.Errors
                .GroupBy(e => e.PropertyName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal));
        }

        if (Entrypoint(fields, function).Length == 0)
        {
            throw new NotFoundException("Entrypoint", null, "function_entrypoint_missing");
        }

        return fields;
    }

    private static string Entrypoint(DeploymentUploadFields fields, Function function) => fields.Entrypoint ?? function.Entrypoint ?? "";

    /// <summary>
    /// Applies <paramref name="change"/> to the function as stored now and saves. Uploads to one function take turns here
    /// on this instance; a build worker, or another instance, saving the same function row meanwhile is not the
    /// uploader's error, so the change is redone on the rows as they now are (after a pause growing with each
    /// attempt) rather than answered 409.
    /// </summary>
    private async Task<T> SaveAgainstFunctionAsync<T>(CreateDeploymentCommand request, Func<Function, Task<T>> change, CancellationToken ct)
    {
        using var turn = await locks.TakeFunctionAsync(request.FunctionId, ct);
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
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), ct);
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
