using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Leases on deployment rows. The domain decides (<see cref="Deployment.ClaimBuild"/>); the database arbitrates: the
/// claim is one UPDATE whose WHERE repeats the status and lease values read, so of two racing workers exactly one changes
/// the row. Claims and heartbeats leave the concurrency stamp alone: a cancel saved meanwhile still wins.
/// </summary>
internal sealed class DeploymentBuildLeases(AppDbContext db) : IDeploymentBuildLeases
{
    public async Task<IReadOnlyList<string>> FindDueAsync(DateTimeOffset now, int max, CancellationToken ct) =>
        await db.Deployments.AsNoTracking()
            .Where(d => (d.Status == DeploymentStatus.Waiting && d.SourceKey != null)
                || ((d.Status == DeploymentStatus.Processing || d.Status == DeploymentStatus.Building) && d.BuildLeaseExpiresAt < now))
            .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)
            .Select(d => d.Id)
            .Take(max)
            .ToListAsync(ct);

    public async Task<bool> TryClaimAsync(string deploymentId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        var deployment = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deploymentId, ct);
        if (deployment is null)
        {
            return false;
        }

        var (status, leaseOwner, leaseExpiresAt) = (deployment.Status, deployment.BuildLeaseOwner, deployment.BuildLeaseExpiresAt);
        if (!deployment.ClaimBuild(owner, now, lease))
        {
            return false;
        }

        var changed = await db.Deployments
            .Where(d => d.Id == deploymentId && d.Status == status && d.BuildLeaseOwner == leaseOwner && d.BuildLeaseExpiresAt == leaseExpiresAt)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, deployment.Status)
                .SetProperty(d => d.BuildLeaseOwner, deployment.BuildLeaseOwner)
                .SetProperty(d => d.BuildLeaseExpiresAt, deployment.BuildLeaseExpiresAt)
                .SetProperty(d => d.BuildAttempts, deployment.BuildAttempts), ct);
        return changed == 1;
    }

    public async Task<bool> HeartbeatAsync(string deploymentId, string owner, DateTimeOffset expiresAt, string? logs, CancellationToken ct)
    {
        var held = db.Deployments.Where(d => d.Id == deploymentId && d.BuildLeaseOwner == owner
            && (d.Status == DeploymentStatus.Processing || d.Status == DeploymentStatus.Building));
        var expires = AuditableTruncate(expiresAt);
        var changed = logs is null
            ? await held.ExecuteUpdateAsync(set => set.SetProperty(d => d.BuildLeaseExpiresAt, expires), ct)
            : await held.ExecuteUpdateAsync(set => set.SetProperty(d => d.BuildLeaseExpiresAt, expires).SetProperty(d => d.BuildLogs, logs), ct);
        return changed == 1;
    }

    private static DateTimeOffset AuditableTruncate(DateTimeOffset value) => Domain.Common.AuditableEntity.Truncate(value);
}
