using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Abstractions.Persistence;

/// <summary>
/// The write path for the record of a synchronous run: a new execution, inserted once and never updated by the caller.
/// It bypasses the unit of work (no change tracking, no domain events) because it is on every invoke's hot path; the
/// returned task completes when the row is durable, and callers that finish at the same time share one commit.
/// </summary>
public interface IExecutionJournal
{
    /// <summary>
    /// Inserts <paramref name="execution"/>; throws <see cref="ExecutionNotRecordedException"/> when this row could not be
    /// stored (other callers' rows are unaffected).
    /// </summary>
    Task AppendAsync(Execution execution);
}

/// <summary>
/// The record of a run could not be stored: its function was purged while it ran, or the database refused or stayed
/// unavailable through the retries. The run itself happened.
/// </summary>
public sealed class ExecutionNotRecordedException(string executionId, Exception inner)
    : Exception($"The record of execution {executionId} could not be stored: {inner.Message}", inner)
{
    public string ExecutionId { get; } = executionId;
}
