using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// A chunk's progress as one UPDATE whose WHERE keeps the count growing and leaves a completed upload alone. It leaves
/// the concurrency stamp alone too: progress is no edit of the deployment, so a cancel or delete saved meanwhile still wins.
/// </summary>
internal sealed class DeploymentChunkProgress(AppDbContext db) : IDeploymentChunkProgress
{
    public Task RecordAsync(Deployment deployment, CancellationToken ct)
    {
        var (id, uploaded, updatedAt) = (deployment.Id, deployment.ChunksUploaded, deployment.UpdatedAt);
        return db.Deployments
            .Where(d => d.Id == id && d.SourceKey == null && d.ChunksUploaded < uploaded)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.ChunksUploaded, uploaded).SetProperty(d => d.UpdatedAt, updatedAt), ct);
    }
}
