using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Domain.Functions;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Deployments.EventHandlers;

/// <summary>
/// A deployment that has just become active gets <see cref="IRuntimeExecutor.PrewarmOnActivate"/> warm processes in the
/// background, as a version that becomes the default does: its first execution is not a cold start.
/// </summary>
internal sealed class PrewarmNewActiveDeployment(
    IRuntimeExecutor executor,
    IReadRepository<Function> functions,
    ExecutionCode code,
    ILogger<PrewarmNewActiveDeployment> logger)
    : IDomainEventHandler<FunctionDeploymentActivated>
{
    public async Task HandleAsync(FunctionDeploymentActivated domainEvent, CancellationToken ct)
    {
        var processes = executor.PrewarmOnActivate;
        if (processes == 0)
        {
            return;
        }

        var function = await functions.FirstOrDefaultAsync(new FunctionByIdSpec(domainEvent.FunctionId), ct);
        if (function is null || function.IsDeleted || function.DeploymentId != domainEvent.DeploymentId)
        {
            return; // changed again meanwhile
        }

        // Built exactly as an execution builds it (entrypoint, workspace, concurrency, variables), so the warm process
        // has the same pool key and environment as the first execution's, which then takes it.
        var (invocation, _) = await code.InvocationAsync(function, domainEvent.DeploymentId, null, RuntimeRequest.Create("GET"), function.Timeout, ct);
        if (invocation is not null)
        {
            _ = PrewarmAsync(invocation, processes);
        }
    }

    private async Task PrewarmAsync(RuntimeInvocation invocation, int processes)
    {
        try
        {
            await executor.PrewarmAsync(invocation, processes, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A deployment that cannot start only loses its head start: its first execution reports why.
            logger.LogWarning(ex, "Pre-warming deployment {DeploymentId} of function {FunctionId} failed", invocation.DeploymentId, invocation.FunctionId);
        }
    }
}
