using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Abstractions.Persistence;

/// <summary>
/// The write path for the record of a synchronous run: a new execution, inserted once and never updated by the caller.
/// It bypasses the unit of work (no change tracking, no domain events) because it is on every invoke's hot path. Records
/// are written behind the caller: <see cref="AppendAsync"/> returns once the row is queued (it waits only while the
/// queue is full), and a record that cannot be stored is logged, never thrown at the caller whose run already happened.
/// </summary>
public interface IExecutionJournal
{
    /// <summary>Queues <paramref name="execution"/> for insertion.</summary>
    ValueTask AppendAsync(Execution execution);

    /// <summary>
    /// Completes once every record appended before this call is committed (or found unstorable): a read of executions
    /// awaits it first, so a run answered a moment ago is in the list.
    /// </summary>
    Task WhenWrittenAsync(CancellationToken cancellationToken);
}
