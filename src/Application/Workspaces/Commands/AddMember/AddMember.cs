using ValidationException = FunctionsPlatform.Application.Common.Errors.ValidationException;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Users.Specifications;
using FunctionsPlatform.Application.Workspaces.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.Workspaces.Commands.AddMember;

/// <summary>
/// POST /api/workspaces/{id}/members: adds the user (or changes its role). Admins, or owners of the workspace whose key
/// carries <c>workspaces.admin</c>; a plain member gets 403, a non-member 404.
/// </summary>
public sealed record AddMemberCommand(string WorkspaceId, string UserId, string Role) : ICommand<MembershipDto>, IWorkspaceScoped;

internal sealed class AddMemberHandler(IRepository<Workspace> workspaces, IReadRepository<User> users, ICurrentPrincipal principal, TimeProvider clock)
    : MediatR.IRequestHandler<AddMemberCommand, MembershipDto>
{
    public async Task<MembershipDto> Handle(AddMemberCommand request, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FirstOrDefaultAsync(new WorkspaceByIdSpec(request.WorkspaceId, tracking: true), cancellationToken)
            ?? throw new NotFoundException("Workspace", request.WorkspaceId, "project_not_found");
        if (!principal.IsAdmin)
        {
            var own = workspace.Members.FirstOrDefault(m => m.UserId == principal.UserId);
            if (own is not { Role: MembershipRole.Owner } || !principal.HasScope(Scope.WorkspacesAdmin))
            {
                throw new ForbiddenException($"Only an owner of the workspace with the '{Scope.WorkspacesAdmin}' scope, or an admin, can manage members.");
            }
        }

        if (!await users.AnyAsync(new UserByIdSpec(request.UserId), cancellationToken))
        {
            throw new ValidationException("userId", $"User '{request.UserId}' does not exist.");
        }

        var role = request.Role == "owner" ? MembershipRole.Owner : MembershipRole.Member;
        return MembershipDto.From(workspace.AddMember(request.UserId, role, clock.GetUtcNow()));
    }
}
