using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Application.FunctionVersions.Specifications;
using FunctionsPlatform.Application.Variables;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Executions.EventHandlers;

/// <summary>
/// Does a version's first-call work when its code is saved rather than on that call: the bundle is written to disk
/// (content-addressed, listed for a generic process's code view), and when the version is what invoke runs, the
/// function's snapshots (function, version, variables) are read back into the cache. Runs after the save and never
/// throws: a failure here only loses the head start (the call does the work and reports any problem with the code),
/// and must not keep the event's other handlers (evicting the old code's processes) from running.
/// </summary>
internal sealed class PrepareCodeOnChange(
    IRuntimeExecutor executor,
    FunctionSnapshotCache snapshots,
    IReadRepository<Function> functions,
    IReadRepository<FunctionVersion> versions,
    FunctionEnvironment environment,
    ILogger<PrepareCodeOnChange> logger)
    : IDomainEventHandler<FunctionVersionCreated>, IDomainEventHandler<FunctionVersionFilesChanged>, IDomainEventHandler<FunctionDefaultVersionSet>
{
    public Task HandleAsync(FunctionVersionCreated domainEvent, CancellationToken ct) => PrepareSafelyAsync(domainEvent.FunctionId, domainEvent.VersionId);

    public Task HandleAsync(FunctionVersionFilesChanged domainEvent, CancellationToken ct)
    {
        // The function's cached snapshots hold the old files: dropped here, before they are read again below.
        snapshots.EvictFunction(domainEvent.FunctionId);
        return PrepareSafelyAsync(domainEvent.FunctionId, domainEvent.VersionId);
    }

    public Task HandleAsync(FunctionDefaultVersionSet domainEvent, CancellationToken ct) => PrepareSafelyAsync(domainEvent.FunctionId, domainEvent.VersionId);

    private async Task PrepareSafelyAsync(string functionId, string versionId)
    {
        try
        {
            // Not the request's token: the change is saved, so its code is worth preparing even if the caller has gone.
            await PrepareAsync(functionId, versionId, CancellationToken.None);
        }
        catch (InvalidDataException ex)
        {
            // Files that cannot form a bundle: every call of this version reports it.
            logger.LogInformation("The code of version {VersionId} cannot be prepared: {Reason}", versionId, ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "The code of version {VersionId} could not be prepared ahead of its first call", versionId);
        }
    }

    private async Task PrepareAsync(string functionId, string versionId, CancellationToken ct)
    {
        var function = await snapshots.FunctionAsync(functionId, () => functions.FirstOrDefaultAsync(new FunctionByIdSpec(functionId), ct));
        if (function is null)
        {
            return;
        }

        // Only the default version is worth a cache entry (invoke reads it); any version's bundle is written.
        var isDefault = function.DefaultVersionId == versionId;
        var version = isDefault
            ? await snapshots.VersionAsync(versionId, () => versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(versionId), ct))
            : await versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(versionId), ct);
        if (version is null || version.Files.Count == 0 || version.FunctionId != function.Id)
        {
            return; // gone meanwhile, or nothing to run yet (a new function's empty first version)
        }

        RunnableVersion runnable;
        try
        {
            runnable = RunnableVersion.Of(function, version);
        }
        catch (DomainException)
        {
            return; // deleted: nothing may run it
        }

        if (isDefault)
        {
            await environment.VariablesAsync(function, ct);
        }

        await executor.PrepareAsync(ExecutionInvocations.CodeOf(runnable), ct);
    }
}
