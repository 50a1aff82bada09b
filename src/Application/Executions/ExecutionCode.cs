using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.FunctionVersions.Specifications;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Executions;

/// <summary>
/// Finds the code an execution runs: the deployment it names (Appwrite's active deployment, built), else the version
/// it names (the /api default version). Answers why not when there is none, so the caller can fail the execution.
/// </summary>
public sealed class ExecutionCode(
    FunctionSnapshotCache snapshots,
    IReadRepository<FunctionVersion> versions,
    IReadRepository<Deployment> deployments,
    IReadRepository<Variable> variables,
    IDeploymentArtifacts artifacts)
{
    /// <summary>The code an execution of <paramref name="function"/> created now should run, as (deploymentId, versionId).</summary>
    public static (string? DeploymentId, string? VersionId) CurrentOf(Function function) =>
        function.DeploymentId is not null ? (function.DeploymentId, null) : (null, function.DefaultVersionId);

    public async Task<(RuntimeInvocation? Invocation, string? Problem)> InvocationAsync(
        Function function, string? deploymentId, string? versionId, RuntimeRequest request, int timeoutSeconds, CancellationToken ct)
    {
        // The same short-lived snapshots as synchronous invokes (evicted by every change on this instance).
        var functionVariables = await snapshots.VariablesAsync(function.Id, async () => await variables.ListAsync(new VariablesOfFunctionSpec(function.Id), ct));
        if (deploymentId is not null)
        {
            var deployment = await deployments.FirstOrDefaultAsync(new DeploymentOfFunctionSpec(function.Id, deploymentId), ct);
            if (deployment is null)
            {
                return (null, "Deployment not found. Create a deployment before trying to execute a function.");
            }

            if (deployment.Status != DeploymentStatus.Ready || deployment.BuildKey is not { } buildKey)
            {
                return (null, "Build not ready.");
            }

            var entrypoint = !string.IsNullOrEmpty(deployment.Entrypoint) ? deployment.Entrypoint : function.Entrypoint ?? "index.js";
            // The build output is an artifact directory, extracted once when the build ended: the executor runs it in place.
            if (artifacts.Find(buildKey) is not { } directory)
            {
                return (null, "The deployment's build output is missing.");
            }

            var bundle = CodeBundle.FromPreparedDirectory(entrypoint, buildKey, directory, token => artifacts.OpenArchiveAsync(buildKey, token));
            var invocation = ExecutionInvocations.For(function, bundle, functionVariables, request, timeoutSeconds) with { DeploymentId = deployment.Id };
            return (invocation, null);
        }

        var version = versionId is null ? null : await snapshots.VersionAsync(versionId, () => versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(versionId), ct));
        if (version is null)
        {
            return (null, "The function has no runnable version.");
        }

        try
        {
            return (ExecutionInvocations.For(RunnableVersion.Of(function, version), functionVariables, request, timeoutSeconds), null);
        }
        catch (DomainException refused)
        {
            return (null, refused.Error.Message);
        }
    }

    private sealed class DeploymentOfFunctionSpec : Specification<Deployment>
    {
        public DeploymentOfFunctionSpec(string functionId, string deploymentId) =>
            Query.Where(d => d.Id == deploymentId && d.FunctionId == functionId).IgnoreQueryFilters();
    }
}
