using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Deployments.Specifications;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Application.Variables;
using FunctionsPlatform.Domain.Deployments;
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
    IReadRepository<Deployment> deployments,
    FunctionEnvironment environment,
    IDeploymentArtifacts artifacts,
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
        var deployment = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(domainEvent.DeploymentId), ct);
        if (function is null || deployment is null || function.DeploymentId != deployment.Id || deployment.BuildKey is null
            || artifacts.Find(deployment.BuildKey) is null)
        {
            return; // changed again meanwhile, or its artifact is gone
        }

        var invocation = DeploymentInvocations.For(function, deployment, artifacts,
            await environment.VariablesAsync(function, ct), RuntimeRequest.Create("GET"), function.Timeout);
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
            // A deployment that cannot start only loses its head start: its first execution reports why.
            logger.LogWarning(ex, "Pre-warming deployment {DeploymentId} of function {FunctionId} failed", invocation.DeploymentId, invocation.FunctionId);
        }
    }
}
