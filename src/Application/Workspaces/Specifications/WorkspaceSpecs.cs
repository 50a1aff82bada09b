using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.Workspaces.Specifications;

public sealed class WorkspaceByIdSpec : Specification<Workspace>
{
    public WorkspaceByIdSpec(string id, bool tracking = false)
    {
        Query.Where(w => w.Id == id);
        if (tracking)
        {
            Query.Include(nameof(Workspace.Members)).Tracking();
        }
    }
}

public sealed class WorkspaceOfMemberSpec : Specification<Workspace>
{
    public WorkspaceOfMemberSpec(string userId, string workspaceId) =>
        Query.Where(w => w.Id == workspaceId && w.Members.Any(m => m.UserId == userId));
}

public sealed class WorkspaceIdsOfMemberSpec : Specification<Workspace, string>
{
    public WorkspaceIdsOfMemberSpec(string userId)
    {
        Query.Where(w => w.Members.Any(m => m.UserId == userId));
        Select(w => w.Id);
    }
}

/// <summary>The workspaces of the given ids (all when null), oldest first.</summary>
public sealed class WorkspacesVisibleSpec : Specification<Workspace>
{
    public WorkspacesVisibleSpec(IReadOnlyCollection<string>? visibleWorkspaceIds)
    {
        var ids = visibleWorkspaceIds?.ToList();
        Query.Where(ids is not null, w => ids!.Contains(w.Id));
        Query.OrderBy(w => w.CreatedAt).OrderBy(w => w.Id);
    }
}
