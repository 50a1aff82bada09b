using FunctionsPlatform.Application.Abstractions.Querying;
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
/// global: system functions are always included.
/// </summary>
public sealed class FunctionsVisibleToCallerSpec : Specification<Function>
{
    private FunctionsVisibleToCallerSpec(IReadOnlyCollection<string>? visibleWorkspaceIds, FunctionListScope scope, VisibilityPart part)
    {
        // An active-only list keeps the soft-delete query filter, which EF also applies inside relation subqueries: a
        // deleted version or function does not satisfy `versions some` / `function` predicates. The others lift it.
        switch (scope.IncludeDeleted)
        {
            case DeletedVisibility.All: Query.IgnoreQueryFilters(); break;
            case DeletedVisibility.Only: Query.IgnoreQueryFilters().Where(f => f.DeletedAt != null); break;
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
                ApplyWorkspaces(workspaceIds, scope.WorkspaceId, part);
                break;
            default:
                ApplyWorkspaces(workspaceIds, scope.WorkspaceId, part);
                break;
        }

        Query.Where(scope.Ids is { Count: > 0 }, f => scope.Ids!.Contains(f.Id));
#pragma warning disable CA1304, CA1311, CA1862 // an EF expression: ToLower() becomes SQL LOWER(), culture-free in both providers
        Query.Where(scope.Name is not null, f => f.Name.ToLower().Contains(scope.Name!.ToLower()));
#pragma warning restore CA1304, CA1311, CA1862
        Query.Where(scope.DefaultVersionId is not null, f => f.DefaultVersionId == scope.DefaultVersionId);
        Query.Where(scope.System is not null, f => f.System == scope.System);
        Query.Where(scope.CreatedBy is not null, f => f.CreatedBy == scope.CreatedBy);
        Query.Where(scope.RuntimeUserId is not null, f => f.RuntimeUserId == scope.RuntimeUserId);
        Query.Where(scope.RetentionTier is not null, f => f.RetentionTier == scope.RetentionTier);
    }

    private enum VisibilityPart
    {
        /// <summary>Everything the workspace restriction lets through (the only part when nothing is added to it).</summary>
        Workspaces,

        /// <summary>System functions outside those workspaces: few, found through the System index.</summary>
        SystemElsewhere,
    }

    /// <summary>
    /// The visible set as disjoint parts. "Workspace OR system" in one predicate would defeat the (workspaceId,
    /// deletedAt, createdAt, id) index and make SQLite scan and sort the whole workspace; as two parts, each is an index
    /// seek and the runner merges their pages. When no system function exists the second part is left out.
    /// </summary>
    public static IReadOnlyList<Specification<Function>> Parts(IReadOnlyCollection<string>? visibleWorkspaceIds, FunctionListScope scope, bool systemFunctionsExist)
    {
        var restricted = visibleWorkspaceIds is not null || scope.WorkspaceId is not null;
        var systemAdded = scope.Source is null && systemFunctionsExist && restricted;
        return systemAdded
            ? [new FunctionsVisibleToCallerSpec(visibleWorkspaceIds, scope, VisibilityPart.Workspaces), new FunctionsVisibleToCallerSpec(visibleWorkspaceIds, scope, VisibilityPart.SystemElsewhere)]
            : [new FunctionsVisibleToCallerSpec(visibleWorkspaceIds, scope, VisibilityPart.Workspaces)];
    }

    private void ApplyWorkspaces(List<string>? workspaceIds, string? workspaceId, VisibilityPart part)
    {
        var system = part == VisibilityPart.SystemElsewhere;
        if (workspaceId is not null)
        {
            Query.Where(!system, f => f.WorkspaceId == workspaceId);
            Query.Where(system, f => f.System && f.WorkspaceId != workspaceId);
        }
        else if (workspaceIds is not null)
        {
            Query.Where(!system, f => workspaceIds.Contains(f.WorkspaceId));
            Query.Where(system, f => f.System && !workspaceIds.Contains(f.WorkspaceId));
        }
    }
}

/// <summary>Whether any system function exists (an index probe).</summary>
public sealed class SystemFunctionsSpec : Specification<Function>
{
    public SystemFunctionsSpec() => Query.Where(f => f.System).IgnoreQueryFilters();
}
