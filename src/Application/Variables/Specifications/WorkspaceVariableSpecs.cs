using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Specifications;

/// <summary>A workspace's variables in creation order (the caller was checked against the workspace).</summary>
public sealed class VariablesOfWorkspaceSpec : Specification<WorkspaceVariable>
{
    public VariablesOfWorkspaceSpec(string workspaceId) =>
        Query.Where(v => v.WorkspaceId == workspaceId).OrderBy(v => v.CreatedAt).OrderBy(v => v.Id);
}

/// <summary>One variable of one workspace; <paramref name="tracking"/> for a change.</summary>
public sealed class VariableOfWorkspaceSpec : Specification<WorkspaceVariable>
{
    public VariableOfWorkspaceSpec(string workspaceId, string variableId, bool tracking = false)
    {
        Query.Where(v => v.WorkspaceId == workspaceId && v.Id == variableId);
        if (tracking)
        {
            Query.Tracking();
        }
    }
}

/// <summary>Whether a workspace variable id is taken anywhere (ids are global), or a key within the workspace.</summary>
public sealed class WorkspaceVariableClashSpec : Specification<WorkspaceVariable>
{
    public WorkspaceVariableClashSpec(string workspaceId, string? variableId, string key, string? exceptId = null) =>
        Query.Where(v => (variableId != null && v.Id == variableId) || (v.WorkspaceId == workspaceId && v.Key == key && v.Id != exceptId));
}

/// <summary>Whether a function variable already has this id (variable ids are one namespace).</summary>
public sealed class VariableIdTakenSpec : Specification<Variable>
{
    public VariableIdTakenSpec(string variableId) => Query.Where(v => v.Id == variableId);
}
