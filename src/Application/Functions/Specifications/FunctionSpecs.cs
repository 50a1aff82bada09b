using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Functions.Specifications;

/// <summary>One function by id, soft-deleted ones included (they stay readable by id).</summary>
public sealed class FunctionByIdSpec : Specification<Function>
{
    public FunctionByIdSpec(string id, bool tracking = false)
    {
        Query.Where(f => f.Id == id).IgnoreQueryFilters();
        if (tracking)
        {
            Query.Tracking();
        }
    }
}

/// <summary>
/// Functions the caller may see: those of its workspaces (all for an unbound admin) plus system functions, which are
/// global (seed 000: "System functions are always included").
/// </summary>
public sealed class FunctionsVisibleToCallerSpec : Specification<Function>
{
    /// <param name="systemFunctionsExist">
    /// Whether any system function exists: when none does, the <c>OR system</c> branch is left out so the list stays a
    /// plain index seek on (workspaceId, deletedAt, createdAt, id).
    /// </param>
    public FunctionsVisibleToCallerSpec(IReadOnlyCollection<string>? visibleWorkspaceIds, FunctionListScope scope, bool systemFunctionsExist = true)
    {
        Query.IgnoreQueryFilters();
        switch (scope.IncludeDeleted)
        {
            case DeletedVisibility.Active: Query.Where(f => f.DeletedAt == null); break;
            case DeletedVisibility.Only: Query.Where(f => f.DeletedAt != null); break;
        }

        var workspaceIds = visibleWorkspaceIds?.ToList();
        switch (scope.Source)
        {
            case "system":
                Query.Where(f => f.System);
                break;
            case "integration":
                // No integrations are installed on this platform yet: nothing is visible through one.
                Query.Where(f => false);
                break;
            case "workspace":
                Query.Where(f => !f.System);
                ApplyWorkspaces(workspaceIds, scope.WorkspaceId, includeSystem: false);
                break;
            default:
                ApplyWorkspaces(workspaceIds, scope.WorkspaceId, includeSystem: systemFunctionsExist);
                break;
        }

        Query.Where(scope.Ids is { Count: > 0 }, f => scope.Ids!.Contains(f.Id));
        Query.Where(scope.Name is not null, f => f.Name.ToLower().Contains(scope.Name!.ToLower()));
        Query.Where(scope.DefaultVersionId is not null, f => f.DefaultVersionId == scope.DefaultVersionId);
        Query.Where(scope.System is not null, f => f.System == scope.System);
        Query.Where(scope.CreatedBy is not null, f => f.CreatedBy == scope.CreatedBy);
        Query.Where(scope.RuntimeUserId is not null, f => f.RuntimeUserId == scope.RuntimeUserId);
        Query.Where(scope.RetentionTier is not null, f => f.RetentionTier == scope.RetentionTier);
    }

    private void ApplyWorkspaces(List<string>? workspaceIds, string? workspaceId, bool includeSystem)
    {
        // Two shapes rather than "includeSystem && f.System": a parameter inside an OR keeps SQL from using the index.
        if (workspaceId is not null)
        {
            Query.Where(includeSystem, f => f.WorkspaceId == workspaceId || f.System);
            Query.Where(!includeSystem, f => f.WorkspaceId == workspaceId);
        }
        else if (workspaceIds is not null)
        {
            Query.Where(includeSystem, f => workspaceIds.Contains(f.WorkspaceId) || f.System);
            Query.Where(!includeSystem, f => workspaceIds.Contains(f.WorkspaceId));
        }
    }
}

/// <summary>Whether any system function exists (an index probe).</summary>
public sealed class SystemFunctionsSpec : Specification<Function>
{
    public SystemFunctionsSpec() => Query.Where(f => f.System).IgnoreQueryFilters();
}

public enum DeletedVisibility
{
    Active,
    All,
    Only,
}

/// <summary>The list parameters of seed 000 other than filter/orderBy/paging.</summary>
public sealed record FunctionListScope(
    string? WorkspaceId,
    string? Source,
    DeletedVisibility IncludeDeleted,
    IReadOnlyList<string>? Ids,
    string? Name,
    string? DefaultVersionId,
    bool? System,
    string? CreatedBy,
    string? RuntimeUserId,
    string? RetentionTier);
