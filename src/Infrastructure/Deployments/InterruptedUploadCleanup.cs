using FunctionsPlatform.Application.Abstractions.Deployments;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// At start, frees the chunk ranges whose writing a crash interrupted: a reservation left behind would refuse the
/// client's retry of that chunk as an overlap for as long as the upload lives.
/// </summary>
internal sealed class InterruptedUploadCleanup(IDeploymentUploads uploads, ILogger<InterruptedUploadCleanup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (uploads is FileSystemDeploymentUploads files && files.RemoveInterruptedWrites() is > 0 and var removed)
        {
            logger.LogInformation("Freed {Count} chunk ranges of uploads interrupted by a stop", removed);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
