namespace FunctionsPlatform.Application.Abstractions.Runtime;

/// <summary>
/// Wakes this instance's asynchronous-execution worker after a waiting execution was committed, so an idle server starts
/// it at once instead of at its next poll. Rows written by other instances are still found by the poll.
/// </summary>
public interface IExecutionQueueSignal
{
    /// <summary>Never blocks; several calls before the worker looks collapse into one wake-up.</summary>
    void Notify();

    /// <summary>As <see cref="Notify"/>, naming the committed execution, so the worker claims it without searching first.</summary>
    void Queued(string executionId);

    /// <summary>As <see cref="Queued"/>, at <paramref name="dueAt"/> (a scheduled execution); before then, nothing.</summary>
    void QueuedFor(string executionId, DateTimeOffset dueAt);
}
