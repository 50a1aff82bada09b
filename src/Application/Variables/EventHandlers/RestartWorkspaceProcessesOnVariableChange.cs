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
        foreach (var functionId in await functions.ListAsync(new FunctionIdsOfWorkspaceSpec(domainEvent.WorkspaceId), ct))
        {
            executor.EvictFunction(functionId);
        }
    }

    /// <summary>Only the ids: a workspace may hold many functions, and their code and settings are not needed here.</summary>
    private sealed class FunctionIdsOfWorkspaceSpec : Specification<Function, string>
    {
        public FunctionIdsOfWorkspaceSpec(string workspaceId)
        {
            Query.Where(f => f.WorkspaceId == workspaceId).IgnoreQueryFilters();
            Select(f => f.Id);
        }
    }
}
