using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>
/// Leases on execution rows. The domain decides (<see cref="Execution.Claim"/>); the database arbitrates: the claim is
/// written with one UPDATE whose WHERE repeats the lease values read, so of two racing workers exactly one sees a row change.
/// </summary>
internal sealed class ExecutionLeases(AppDbContext db) : IExecutionLeases
{
    public async Task<IReadOnlyList<string>> FindDueAsync(DateTimeOffset now, int max, CancellationToken ct) =>
        await DueQuery(now, max).ToListAsync(ct);

    internal IQueryable<string> DueQuery(DateTimeOffset now, int max) =>
        db.Executions.IgnoreQueryFilters().AsNoTracking()
            // EF.Constant writes the statuses as literals, the same term as the partial index's filter (SQLite only uses
            // a partial index when the query repeats its condition; a parameter would not do).
            .Where(e => EF.Constant(ExecutionConfiguration.UnfinishedStatuses).Contains(e.Status))
            .Where(e => e.Status == ExecutionStatus.Waiting
                || (e.Status == ExecutionStatus.Scheduled && e.ScheduledAt <= now)
                || (e.Status == ExecutionStatus.Processing && e.LeaseOwner != null && e.LeaseExpiresAt < now))
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .Select(e => e.Id)
            .Take(max);

    public async Task<bool> TryClaimAsync(string executionId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        var execution = await db.Executions.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(e => e.Id == executionId, ct);
        if (execution is null || (execution.Status == ExecutionStatus.Scheduled && execution.ScheduledAt > now))
        {
            return false;
        }

        var (status, leaseOwner, leaseExpiresAt) = (execution.Status, execution.LeaseOwner, execution.LeaseExpiresAt);
        if (!execution.Claim(owner, now, lease))
        {
            return false;
        }

        var changed = await db.Executions.IgnoreQueryFilters()
            .Where(e => e.Id == executionId && e.Status == status && e.LeaseOwner == leaseOwner && e.LeaseExpiresAt == leaseExpiresAt)
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, execution.Status)
                .SetProperty(e => e.LeaseOwner, execution.LeaseOwner)
                .SetProperty(e => e.LeaseExpiresAt, execution.LeaseExpiresAt)
                .SetProperty(e => e.Attempts, execution.Attempts)
                .SetProperty(e => e.UpdatedAt, execution.UpdatedAt), ct);
        return changed == 1;
    }

    public async Task<bool> RenewAsync(string executionId, string owner, DateTimeOffset expiresAt, CancellationToken ct) =>
        await db.Executions.IgnoreQueryFilters()
            .Where(e => e.Id == executionId && e.LeaseOwner == owner && e.Status == ExecutionStatus.Processing)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.LeaseExpiresAt, expiresAt), ct) == 1;

    public async Task<bool> TryCancelScheduledAsync(string executionId, CancellationToken ct) =>
        await db.Executions.IgnoreQueryFilters()
            .Where(e => e.Id == executionId && e.Status == ExecutionStatus.Scheduled)
            .ExecuteDeleteAsync(ct) == 1;
}
