using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Executions.EventHandlers;

/// <summary>Runs after the save that committed the waiting row: the worker can only claim what is committed.</summary>
internal sealed class WakeWorkerOnExecutionQueued(IExecutionQueueSignal signal) : IDomainEventHandler<ExecutionQueued>
{
    public Task HandleAsync(ExecutionQueued domainEvent, CancellationToken ct)
    {
        signal.Queued(domainEvent.ExecutionId);
        return Task.CompletedTask;
    }
}
