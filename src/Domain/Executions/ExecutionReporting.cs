using System.Linq.Expressions;

namespace FunctionsPlatform.Domain.Executions;

/// <summary>
/// How an execution reads to callers. A waiting or processing execution whose function timeout has passed since it
/// became due is reported <c>failed</c> (its worker died or it never got a slot), and a <c>failed</c> filter includes it.
/// The stored row is left as it is: the lease machinery still owns it.
/// </summary>
public static class ExecutionReporting
{
    /// <summary>When the execution became due: its scheduled time if it had one, else its creation.</summary>
    public static DateTimeOffset DueAt(this Execution execution) => execution.ScheduledAt ?? execution.CreatedAt;

    public static bool IsStale(this Execution execution, int timeoutSeconds, DateTimeOffset now) =>
        IsStale(execution.Status, execution.ScheduledAt, execution.CreatedAt, timeoutSeconds, now);

    public static ExecutionStatus ReportedStatus(this Execution execution, int timeoutSeconds, DateTimeOffset now) =>
        ReportedStatus(execution.Status, execution.ScheduledAt, execution.CreatedAt, timeoutSeconds, now);

    /// <summary>The same rule over stored fields, for reads that never build the entity.</summary>
    public static ExecutionStatus ReportedStatus(
        ExecutionStatus stored, DateTimeOffset? scheduledAt, DateTimeOffset createdAt, int timeoutSeconds, DateTimeOffset now) =>
        IsStale(stored, scheduledAt, createdAt, timeoutSeconds, now) ? ExecutionStatus.Failed : stored;

    private static bool IsStale(ExecutionStatus stored, DateTimeOffset? scheduledAt, DateTimeOffset createdAt, int timeoutSeconds, DateTimeOffset now) =>
        stored is ExecutionStatus.Waiting or ExecutionStatus.Processing && (scheduledAt ?? createdAt).AddSeconds(timeoutSeconds) < now;

    /// <summary>
    /// The <c>status = failed</c> filter as callers mean it, for the executions of one function with this timeout:
    /// stored <c>failed</c>, or waiting/processing and due before <paramref name="now"/> minus the timeout.
    /// </summary>
    public static Expression<Func<Execution, bool>> ReportedFailed(int timeoutSeconds, DateTimeOffset now)
    {
        var dueBefore = now.AddSeconds(-timeoutSeconds);
        return e => e.Status == ExecutionStatus.Failed
            || ((e.Status == ExecutionStatus.Waiting || e.Status == ExecutionStatus.Processing)
                && (e.ScheduledAt ?? e.CreatedAt) < dueBefore);
    }

    /// <summary>
    /// Refuses to delete an execution that may still run: waiting or processing and not yet stale. A scheduled one is
    /// deletable (the caller cancels it first), as is anything finished or stale.
    /// </summary>
    public static void EnsureDeletable(this Execution execution, int timeoutSeconds, DateTimeOffset now)
    {
        if (execution.Status is ExecutionStatus.Waiting or ExecutionStatus.Processing && !execution.IsStale(timeoutSeconds, now))
        {
            throw new Common.DomainException(ExecutionStateErrors.InProgress);
        }
    }
}
