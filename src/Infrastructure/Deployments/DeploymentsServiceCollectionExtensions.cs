using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Deployments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.Deployments;

public static class DeploymentsServiceCollectionExtensions
{
    /// <summary>Uploads, safe extraction, artifacts, the build command runner, build leases and (unless <c>Builds:MaxConcurrent</c> is 0) the build workers.</summary>
    public static IServiceCollection AddDeployments(this IServiceCollection services, IConfiguration configuration)
    {
        var deployments = configuration.GetSection(DeploymentSettings.SectionName).Get<DeploymentSettings>() ?? new DeploymentSettings();
        var builds = configuration.GetSection(BuildSettings.SectionName).Get<BuildSettings>() ?? new BuildSettings();
        if (deployments.MaxSizeBytes < 0 || deployments.MaxExtractedBytes < 1 || deployments.MaxArchiveEntries < 1)
        {
            throw new InvalidOperationException("Deployments:MaxSizeBytes must be ≥ 0 (0 = unlimited); MaxExtractedBytes and MaxArchiveEntries ≥ 1.");
        }

        if (builds.MaxConcurrent < 0 || builds.TimeoutSeconds < 1 || builds.MaxOutputBytes < 1 || builds.LeaseSeconds < 3
            || builds.PollIntervalMs < 10 || builds.LogFlushIntervalMs < 10 || builds.RetentionSweepMinutes < 1
            || builds.MemoryMb < 64 || builds.PidsMax < 8 || builds.TmpSizeMb < 1 || builds.CpuShares is < 2 or > 262_144)
        {
            throw new InvalidOperationException(
                "Builds:* settings out of range (MaxConcurrent ≥ 0, TimeoutSeconds ≥ 1, LeaseSeconds ≥ 3, intervals ≥ 10 ms, MemoryMb ≥ 64, PidsMax ≥ 8, TmpSizeMb ≥ 1, CpuShares 2–262144).");
        }

        services.AddSingleton(deployments);
        services.AddSingleton(builds);
        services.AddSingleton<SafeArchiveExtractor>();
        services.AddSingleton<IDeploymentUploads, FileSystemDeploymentUploads>();
        services.AddHostedService<InterruptedUploadCleanup>();
        services.AddScoped<IDeploymentChunkProgress, DeploymentChunkProgress>();
        services.AddSingleton<IDeploymentArtifacts, DeploymentArtifactStore>();
        services.AddSingleton<IBuildCommandRunner, SandboxedBuildCommandRunner>();
        services.AddScoped<IDeploymentBuildLeases, DeploymentBuildLeases>();
        if (builds.MaxConcurrent > 0)
        {
            services.AddHostedService<DeploymentBuildWorker>();
        }

        return services;
    }
}
