using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Workspaces.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.Workspaces.Commands.CreateWorkspace;

/// <summary>POST /api/workspaces: needs <c>workspaces.admin</c> (or an admin); the caller becomes owner; a chosen id must be free (409).</summary>
public sealed record CreateWorkspaceCommand(string Name, string? Id) : ICommand<WorkspaceDto>;

internal sealed class CreateWorkspaceHandler(IRepository<Workspace> workspaces, ICurrentPrincipal principal, IIdGenerator ids, TimeProvider clock)
    : MediatR.IRequestHandler<CreateWorkspaceCommand, WorkspaceDto>
{
    public async Task<WorkspaceDto> Handle(CreateWorkspaceCommand request, CancellationToken cancellationToken)
    {
        if (!principal.IsAdmin && !principal.HasScope(Scope.WorkspacesAdmin))
        {
            throw new ForbiddenException($"Creating a workspace needs the '{Scope.WorkspacesAdmin}' scope.");
        }

        var id = request.Id ?? ids.NewId(IdPrefixes.Workspace);
        if (await workspaces.AnyAsync(new WorkspaceByIdSpec(id), cancellationToken))
        {
            throw new DomainException(WorkspaceErrors.AlreadyExists);
        }

        var workspace = Workspace.Create(id, request.Name, principal.UserId, clock.GetUtcNow());
        workspaces.Add(workspace);
        return new WorkspaceDto(workspace.Id, workspace.Name, workspace.CreatedAt);
    }
}
