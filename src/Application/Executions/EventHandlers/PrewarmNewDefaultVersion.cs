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
/// A version that has just become the default gets <see cref="IRuntimeExecutor.PrewarmOnActivate"/> warm processes,
/// started in the background after the change is saved: the caller is not kept waiting, and the first call finds a
/// process that has already loaded the code (a cold start is 50–100 ms). Runs after the eviction of the old processes,
/// which is raised first.
/// </summary>
internal sealed class PrewarmNewDefaultVersion(
    IRuntimeExecutor executor,
    IReadRepository<Function> functions,
    IReadRepository<FunctionVersion> versions,
    FunctionEnvironment environment,
    ILogger<PrewarmNewDefaultVersion> logger)
    : IDomainEventHandler<FunctionDefaultVersionSet>
{
    public async Task HandleAsync(FunctionDefaultVersionSet domainEvent, CancellationToken ct)
    {
        var processes = executor.PrewarmOnActivate;
        if (processes == 0)
        {
            return;
        }

        var function = await functions.FirstOrDefaultAsync(new FunctionByIdSpec(domainEvent.FunctionId), ct);
        var version = await versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(domainEvent.VersionId), ct);
        if (function is null || version is null || version.Files.Count == 0 || function.DefaultVersionId != version.Id)
        {
            return; // gone meanwhile, or nothing to load yet (a new function's empty first version)
        }

        RunnableVersion runnable;
        try
        {
            runnable = RunnableVersion.Of(function, version);
        }
        catch (DomainException)
        {
            return; // soft-deleted meanwhile: nothing may run, so nothing to warm
        }

        var invocation = ExecutionInvocations.For(runnable, await environment.VariablesAsync(function, ct),
            RuntimeRequest.Create("GET"), function.Timeout);
        _ = PrewarmAsync(invocation, processes);
    }

    private async Task PrewarmAsync(RuntimeInvocation invocation, int processes)
    {
        try
        {
            await executor.PrewarmAsync(invocation, processes, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A version that cannot start only loses its head start: its first call reports why.
            logger.LogWarning(ex, "Pre-warming function {FunctionId} failed", invocation.FunctionId);
        }
    }
}
