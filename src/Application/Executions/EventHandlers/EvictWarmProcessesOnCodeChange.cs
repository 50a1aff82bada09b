using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.Executions.EventHandlers;

/// <summary>
/// Warm processes hold the code, variables and settings they started with: once a change is saved, the function's
/// processes are dropped (idle now, busy ones when their call ends) so the next call starts on the new state.
/// </summary>
internal sealed class EvictWarmProcessesOnCodeChange(IRuntimeExecutor executor)
    : IDomainEventHandler<FunctionCodeChanged>, IDomainEventHandler<FunctionVersionFilesChanged>,
      IDomainEventHandler<FunctionSoftDeleted>, IDomainEventHandler<FunctionPurged>
{
    public Task HandleAsync(FunctionCodeChanged domainEvent, CancellationToken ct)
    {
        executor.EvictFunction(domainEvent.FunctionId);
        return Task.CompletedTask;
    }

    public Task HandleAsync(FunctionVersionFilesChanged domainEvent, CancellationToken ct)
    {
        executor.EvictFunction(domainEvent.FunctionId);
        return Task.CompletedTask;
    }

    public Task HandleAsync(FunctionSoftDeleted domainEvent, CancellationToken ct)
    {
        executor.EvictFunction(domainEvent.FunctionId);
        return Task.CompletedTask;
    }

    public Task HandleAsync(FunctionPurged domainEvent, CancellationToken ct)
    {
        executor.EvictFunction(domainEvent.FunctionId);
        return Task.CompletedTask;
    }
}
