using FunctionsPlatform.Application.Abstractions.Scheduling;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Scheduling;

/// <summary>What one pass over a due schedule did.</summary>
public enum ScheduleTickOutcome
{
    /// <summary>Not due, or another instance claimed the tick first.</summary>
    None,
    /// <summary>The first tick was computed (new schedule, changed expression or re-enabled function): nothing fired.</summary>
    Initialised,
    /// <summary>The tick was claimed and passed without an execution: the function is disabled or has no code.</summary>
    Skipped,
    Fired,
}

/// <summary>
/// Claims due cron ticks of functions in the database. A tick is claimed by one conditional UPDATE that moves
/// <c>scheduleNext</c> on only if it still holds the value read, in the same transaction as the insert of its
/// execution: of several instances sharing the database exactly one fires each tick, and a crash fires none twice.
/// A server that was down fires one catch-up for the last missed tick, then the next tick after now: never a burst.
/// </summary>
internal sealed class FunctionScheduleTicks(AppDbContext db, ICronSchedules cron, IIdGenerator ids, ILogger<FunctionScheduleTicks> logger)
{
    public async Task<IReadOnlyList<string>> FindDueAsync(DateTimeOffset now, int max, CancellationToken ct) =>
        await db.Functions.IgnoreQueryFilters().AsNoTracking()
            .Where(f => f.Schedule != "" && f.DeletedAt == null && (f.ScheduleNext == null || f.ScheduleNext <= now))
            .OrderBy(f => f.ScheduleNext).ThenBy(f => f.Id)
            .Select(f => f.Id)
            .Take(max)
            .ToListAsync(ct);

    /// <summary>Claims the function's due tick and, when it may run, inserts its <c>waiting</c> execution (trigger schedule).</summary>
    public async Task<(ScheduleTickOutcome Outcome, string? ExecutionId)> TryFireAsync(string functionId, DateTimeOffset now, CancellationToken ct)
    {
        var function = await db.Functions.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(f => f.Id == functionId, ct);
        if (function is null || function.IsDeleted || function.Schedule == "" || function.ScheduleNext > now)
        {
            return (ScheduleTickOutcome.None, null);
        }

        var (schedule, claimed) = (function.Schedule, function.ScheduleNext);
        if (cron.NextAfter(schedule, now) is not { } next)
        {
            logger.LogWarning("Function {FunctionId} has an invalid schedule '{Schedule}': not fired", function.Id, schedule);
            return (ScheduleTickOutcome.None, null);
        }

        next = AuditableEntity.Truncate(next);
        if (claimed is null)
        {
            var initialised = await db.Functions.IgnoreQueryFilters()
                .Where(f => f.Id == functionId && f.Schedule == schedule && f.ScheduleNext == null)
                .ExecuteUpdateAsync(set => set.SetProperty(f => f.ScheduleNext, next), ct);
            return (initialised == 1 ? ScheduleTickOutcome.Initialised : ScheduleTickOutcome.None, null);
        }

        var (deploymentId, versionId) = ExecutionCode.CurrentOf(function);
        var runs = function.Enabled && (deploymentId is not null || versionId is not null);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var tick = db.Functions.IgnoreQueryFilters().Where(f => f.Id == functionId && f.Schedule == schedule && f.ScheduleNext == claimed);
            var moved = runs
                ? await tick.ExecuteUpdateAsync(set => set.SetProperty(f => f.ScheduleNext, next).SetProperty(f => f.SchedulePrevious, claimed), token)
                : await tick.ExecuteUpdateAsync(set => set.SetProperty(f => f.ScheduleNext, next), token);
            if (moved != 1)
            {
                return (ScheduleTickOutcome.None, (string?)null);
            }

            string? executionId = null;
            if (runs)
            {
                var execution = Execution.Create(
                    ids.NewId(IdPrefixes.Execution), function.Id, function.WorkspaceId, ExecutionTrigger.Schedule, "POST", "/", [], "", now,
                    deploymentId, versionId, async: true);
                db.Executions.Add(execution);
                await db.SaveChangesAsync(token);
                executionId = execution.Id;
            }

            await transaction.CommitAsync(token);
            return (runs ? ScheduleTickOutcome.Fired : ScheduleTickOutcome.Skipped, executionId);
        }, ct);
    }
}
