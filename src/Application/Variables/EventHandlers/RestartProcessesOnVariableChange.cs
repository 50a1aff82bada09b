using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.EventHandlers;

/// <summary>
/// Variables are fixed in a process's environment when it starts: once a change is saved, the function's warm
/// processes and cached snapshot go, so the very next execution starts with the new set.
/// </summary>
internal sealed class RestartProcessesOnVariableChange(IRuntimeExecutor executor, FunctionSnapshotCache snapshots) : IDomainEventHandler<VariableChanged>
{
    public Task HandleAsync(VariableChanged domainEvent, CancellationToken ct)
    {
        snapshots.EvictFunction(domainEvent.FunctionId);
        executor.EvictFunction(domainEvent.FunctionId);
        return Task.CompletedTask;
    }
}
