using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Workspaces.Specifications;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.Workspaces.Queries.ListWorkspaces;

/// <summary>GET /api/workspaces: the caller's workspaces (every one for an admin), oldest first.</summary>
public sealed record ListWorkspacesQuery : IQuery<IReadOnlyList<WorkspaceDto>>;

internal sealed class ListWorkspacesHandler(IReadRepository<Workspace> workspaces, IWorkspaceAccess access)
    : MediatR.IRequestHandler<ListWorkspacesQuery, IReadOnlyList<WorkspaceDto>>
{
    public async Task<IReadOnlyList<WorkspaceDto>> Handle(ListWorkspacesQuery request, CancellationToken cancellationToken)
    {
        var visible = await access.VisibleWorkspaceIdsAsync(cancellationToken);
        var list = await workspaces.ListAsync(new WorkspacesVisibleSpec(visible), cancellationToken);
        return [.. list.Select(w => new WorkspaceDto(w.Id, w.Name, w.CreatedAt))];
    }
}
