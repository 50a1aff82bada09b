using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Executions;

/// <summary>Named errors of an execution's life cycle and of scheduling one.</summary>
public static class ExecutionStateErrors
{
    public static readonly DomainError InProgress = new(
        "execution.in_progress", "Can't delete ongoing execution. Please wait for execution to finish before deleting it.", ErrorKind.Validation, "execution_in_progress");

    public static readonly DomainError ScheduleRequiresAsync = new(
        "execution.schedule_requires_async", "Scheduled executions must run asynchronously. Set scheduledAt to a future date, or set async to true.", ErrorKind.Validation, "general_bad_request");
}

/// <summary>An execution was saved as <c>waiting</c>: a worker may start it now (raised for the in-process wake-up).</summary>
public sealed record ExecutionQueued(string ExecutionId, string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An execution was saved as <c>scheduled</c>: a worker may start it at <paramref name="DueAt"/> (raised to arm an in-process timer).</summary>
public sealed record ExecutionScheduled(string ExecutionId, string FunctionId, DateTimeOffset DueAt, DateTimeOffset OccurredAt) : IDomainEvent;
