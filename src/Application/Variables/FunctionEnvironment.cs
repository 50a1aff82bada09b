using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables;

/// <summary>
/// The variables a function's code and builds see: the workspace's variables, then the function's own (a function
/// variable with the same key wins, as Appwrite merges project and function variables). Cached with the function's
/// snapshot and evicted by any change to either set.
/// </summary>
public sealed class FunctionEnvironment(
    FunctionSnapshotCache snapshots, IReadRepository<Variable> functionVariables, IReadRepository<WorkspaceVariable> workspaceVariables)
{
    public async Task<IReadOnlyDictionary<string, string>> VariablesAsync(Function function, CancellationToken ct) =>
        (await snapshots.VariablesAsync(function.Id, async () => await LoadAsync(function, ct))).Values;

    private async Task<FunctionSnapshotCache.FunctionVariables> LoadAsync(Function function, CancellationToken ct)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var shared in await workspaceVariables.ListAsync(new VariablesOfWorkspaceSpec(function.WorkspaceId), ct))
        {
            merged[shared.Key] = shared.Value;
        }

        foreach (var own in await functionVariables.ListAsync(new VariablesOfFunctionSpec(function.Id), ct))
        {
            merged[own.Key] = own.Value;
        }

        return new FunctionSnapshotCache.FunctionVariables(function.WorkspaceId, merged);
    }
}
