using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Deployments.Specifications;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Application.Variables;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Deployments.Building;

/// <summary>Builds one deployment whose lease a worker holds, from start to ready, failed or canceled.</summary>
public interface IDeploymentBuildRunner
{
    /// <summary>
    /// Builds the deployment if <paramref name="owner"/> still holds its lease. <paramref name="stopping"/> is the server
    /// shutting down: the build is abandoned unrecorded and its lease left to expire, so another worker builds it again.
    /// </summary>
    Task BuildAsync(string deploymentId, string owner, CancellationToken stopping);
}

/// <summary>
/// Three steps, each database step in its own scope so the long middle one holds no connection or tracked state:
/// start (status building, saved), run (extract, commands, artifact: ports only, heartbeats renew the lease and write
/// the log so far), complete (a fresh read: a cancel or a lost lease meanwhile wins; a ready deployment holding the
/// activation claim becomes active).
/// </summary>
internal sealed class DeploymentBuildRunner(
    IServiceScopeFactory scopes,
    IDeploymentArtifacts artifacts,
    IBuildCommandRunner commands,
    BuildCancellations cancellations,
    BuildSettings settings,
    TimeProvider clock,
    ILogger<DeploymentBuildRunner> logger) : IDeploymentBuildRunner
{
    private sealed record BuildPlan(string SourceKey, string Commands, string RuntimeId, IReadOnlyDictionary<string, string> Environment, RuntimeLimits Limits);

    private sealed record BuildOutcome(BuildArtifact? Artifact, string? Failure, bool Stopped)
    {
        public static readonly BuildOutcome Stop = new(null, null, true);
    }

    private TimeSpan Lease => TimeSpan.FromSeconds(settings.LeaseSeconds);

    public async Task BuildAsync(string deploymentId, string owner, CancellationToken stopping)
    {
        var plan = await StartAsync(deploymentId, owner, stopping);
        if (plan is null)
        {
            return;
        }

        var log = new BuildLog();
        BuildOutcome outcome;
        using (var build = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            cancellations.Register(deploymentId, build);
            using var heartbeats = new CancellationTokenSource();
            var beating = HeartbeatAsync(deploymentId, owner, log, build, heartbeats.Token);
            try
            {
                outcome = await RunAsync(deploymentId, plan, log, build.Token);
            }
            finally
            {
                cancellations.Unregister(deploymentId);
                await heartbeats.CancelAsync();
                await beating;
            }
        }

        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await CompleteAsync(deploymentId, owner, outcome, log);
    }

    private async Task<BuildPlan?> StartAsync(string deploymentId, string owner, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deployments = scope.ServiceProvider.GetRequiredService<IRepository<Deployment>>();
        var deployment = await deployments.FirstOrDefaultAsync(new DeploymentByIdSpec(deploymentId, tracking: true), ct);
        if (deployment is null || !deployment.IsBuildHeldBy(owner))
        {
            return null;
        }

        var function = await scope.ServiceProvider.GetRequiredService<IRepository<Function>>()
            .FirstOrDefaultAsync(new FunctionByIdSpec(deployment.FunctionId, tracking: true), ct);
        var now = clock.GetUtcNow();
        var problem = deployment.BuildAttempts > Deployment.MaxBuildAttempts
                ? $"Build abandoned after {Deployment.MaxBuildAttempts} attempts: its worker stopped every time.\n"
            : function is null || function.IsDeleted ? "The function no longer exists.\n"
            : null;
        deployment.StartBuild(now);
        if (problem is not null)
        {
            deployment.BuildFailed(deployment.BuildLogs + problem, now);
        }

        if (function is not null)
        {
            DeploymentLifecycle.StatusChanged(function, deployment, now);
        }

        try
        {
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(ct);
        }
        catch (ConflictException)
        {
            return null; // canceled or deleted meanwhile
        }

        if (problem is not null || function is null)
        {
            return null;
        }

        // Builds see the same variables as executions: the workspace's, then the function's own.
        var environment = new Dictionary<string, string>(
            await scope.ServiceProvider.GetRequiredService<FunctionEnvironment>().VariablesAsync(function, ct), StringComparer.Ordinal);
        environment["OPEN_RUNTIMES_ENTRYPOINT"] = deployment.Entrypoint;
        environment["APPWRITE_FUNCTION_ID"] = function.Id;
        environment["APPWRITE_FUNCTION_NAME"] = function.Name;
        environment["APPWRITE_FUNCTION_DEPLOYMENT"] = deployment.Id;
        environment["APPWRITE_FUNCTION_PROJECT_ID"] = function.WorkspaceId;
        environment["APPWRITE_DEPLOYMENT_TYPE"] = deployment.Type;
        // The build may call the API back (a setup script seeding data): a key of the function's scopes, valid for the build timeout.
        environment["APPWRITE_FUNCTION_API_KEY"] = scope.ServiceProvider.GetRequiredService<IFunctionKeys>()
            .Issue(function.WorkspaceId, function.Id, function.Scopes, TimeSpan.FromSeconds(settings.TimeoutSeconds));
        var limits = RuntimeLimits.FromSpecification(function.BuildSpecification, settings.TimeoutSeconds);
        return new BuildPlan(deployment.SourceKey!, deployment.Commands, function.Runtime, environment, limits);
    }

    private async Task<BuildOutcome> RunAsync(string deploymentId, BuildPlan plan, BuildLog log, CancellationToken ct)
    {
        string? directory = null;
        try
        {
            directory = await artifacts.ExtractSourceAsync(plan.SourceKey, ct);
            if (!string.IsNullOrWhiteSpace(plan.Commands))
            {
                var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
                var result = await commands.RunAsync(
                    new BuildCommandRequest(deploymentId, plan.RuntimeId, directory, plan.Commands, plan.Environment, timeout,
                        plan.Limits.Cpus, Math.Max(plan.Limits.MemoryMb, settings.MemoryMb)), log.Append, ct);
                if (result.TimedOut)
                {
                    return new BuildOutcome(null, $"Build timed out after {settings.TimeoutSeconds} seconds.\n", false);
                }

                if (result.Failure is { } failure)
                {
                    return new BuildOutcome(null, failure + "\n", false);
                }

                if (result.ExitCode != 0)
                {
                    return new BuildOutcome(null, $"Build command exited with code {result.ExitCode}.\n", false);
                }
            }

            var artifact = await artifacts.StoreAsync(directory, ct);
            directory = null;
            return new BuildOutcome(artifact, null, false);
        }
        catch (OperationCanceledException)
        {
            return BuildOutcome.Stop;
        }
        catch (InvalidArchiveException ex)
        {
            return new BuildOutcome(null, $"Invalid deployment archive: {ex.Message}\n", false);
        }
        catch (BuildOutputTooLargeException ex)
        {
            return new BuildOutcome(null, ex.Message + "\n", false);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Build of deployment {DeploymentId} failed on storage", deploymentId);
            return new BuildOutcome(null, $"Build failed: {ex.Message}\n", false);
        }
        finally
        {
            if (directory is not null)
            {
                artifacts.DiscardBuildDirectory(directory);
            }
        }
    }

    private async Task CompleteAsync(string deploymentId, string owner, BuildOutcome outcome, BuildLog log)
    {
        await using var scope = scopes.CreateAsyncScope();
        var deployment = await scope.ServiceProvider.GetRequiredService<IRepository<Deployment>>()
            .FirstOrDefaultAsync(new DeploymentByIdSpec(deploymentId, tracking: true), CancellationToken.None);
        if (outcome.Stopped || deployment is null || !deployment.IsBuildHeldBy(owner))
        {
            return; // canceled, deleted or taken over meanwhile: what is stored stands
        }

        var function = await scope.ServiceProvider.GetRequiredService<IRepository<Function>>()
            .FirstOrDefaultAsync(new FunctionByIdSpec(deployment.FunctionId, tracking: true), CancellationToken.None);
        var now = clock.GetUtcNow();
        if (outcome.Artifact is { } artifact)
        {
            deployment.BuildSucceeded(artifact.Key, artifact.Size, log.ToString(), now);
        }
        else
        {
            log.Append(outcome.Failure ?? "Build failed.\n");
            deployment.BuildFailed(log.ToString(), now);
        }

        if (function is not null)
        {
            DeploymentLifecycle.BuildFinished(function, deployment, now);
        }

        try
        {
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }
        catch (ConflictException)
        {
            // Canceled (or the function changed) meanwhile: the lease expires and a worker finishes it again.
            logger.LogInformation("Build of deployment {DeploymentId} finished but its row changed meanwhile", deploymentId);
        }
    }

    /// <summary>Renews the lease and writes the log so far; a lost lease or a cancel seen in the row stops the build.</summary>
    private async Task HeartbeatAsync(string deploymentId, string owner, BuildLog log, CancellationTokenSource build, CancellationToken ct)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Min(settings.LogFlushIntervalMs, settings.LeaseSeconds * 1000 / 3));
        var renewed = clock.GetUtcNow();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(interval, ct);
                var changes = log.TakeChanges();
                var now = clock.GetUtcNow();
                if (changes is null && now - renewed < Lease / 3)
                {
                    continue;
                }

                bool held;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    held = await scope.ServiceProvider.GetRequiredService<IDeploymentBuildLeases>().HeartbeatAsync(deploymentId, owner, now + Lease, changes, ct);
                    renewed = now;
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    // Tried again at the next beat; if the database stays away the lease runs out and another worker takes over.
                    logger.LogWarning(ex, "Heartbeat of build {DeploymentId} failed", deploymentId);
                    continue;
                }

                if (!held)
                {
                    await build.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The build ended.
        }
    }
}
