using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.EventHandlers;

/// <summary>
/// A workspace variable reaches every function of the workspace: once a change is saved, their cached environments
/// and warm processes go, so each function's very next execution starts with the new set.
/// </summary>
internal sealed class RestartWorkspaceProcessesOnVariableChange(
    IRuntimeExecutor executor, FunctionSnapshotCache snapshots, IReadRepository<Function> functions)
    : IDomainEventHandler<WorkspaceVariableChanged>
{
    public async Task HandleAsync(WorkspaceVariableChanged domainEvent, CancellationToken ct)
    {
        snapshots.EvictWorkspaceVariables(domainEvent.WorkspaceId);
        foreach (var function in await functions.ListAsync(new FunctionsOfWorkspaceSpec(domainEvent.WorkspaceId), ct))
        {
            executor.EvictFunction(function.Id);
        }
    }

    private sealed class FunctionsOfWorkspaceSpec : Specification<Function>
    {
        public FunctionsOfWorkspaceSpec(string workspaceId) => Query.Where(f => f.WorkspaceId == workspaceId).IgnoreQueryFilters();
    }
}
