using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Deployments;

/// <summary>
/// Turns a function, a ready deployment and a request into what the runtime executor runs: the same executor, pool and
/// limits as a version's code; only the bundle differs (the built artifact, already on disk).
/// </summary>
public static class DeploymentInvocations
{
    public static RuntimeInvocation For(
        Function function, Deployment deployment, IDeploymentArtifacts artifacts, IReadOnlyDictionary<string, string> variables, RuntimeRequest request, int timeoutSeconds)
    {
        if (deployment.Status != DeploymentStatus.Ready || deployment.BuildKey is not { } key)
        {
            // A 400 as in Appwrite: the request is fine, the deployment is not runnable yet.
            throw new Domain.Common.DomainException(FunctionErrors.BuildNotReady);
        }

        var directory = artifacts.Find(key) ?? throw new NotFoundException("Deployment build", deployment.Id, "deployment_not_found");
        return new RuntimeInvocation(function.Id, function.Name, function.Runtime,
            CodeBundle.FromPreparedDirectory(deployment.Entrypoint, key, directory, ct => artifacts.OpenArchiveAsync(key, ct)),
            request, RuntimeLimits.FromSpecification(function.RuntimeSpecification, timeoutSeconds))
        {
            Variables = variables,
            DeploymentId = deployment.Id,
        };
    }
}
