using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Executions.EventHandlers;

/// <summary>
/// Runs after the save that committed the scheduled row: arms this instance's wake-up for its time, so the run does not
/// wait for the worker's poll. A delete before then needs no disarming: the woken worker finds no row to claim.
/// </summary>
internal sealed class WakeWorkerAtScheduledTime(IExecutionQueueSignal signal) : IDomainEventHandler<ExecutionScheduled>
{
    public Task HandleAsync(ExecutionScheduled domainEvent, CancellationToken ct)
    {
        signal.QueuedFor(domainEvent.ExecutionId, domainEvent.DueAt);
        return Task.CompletedTask;
    }
}
