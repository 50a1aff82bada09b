using FluentValidation;
using ValidationException = FunctionsPlatform.Application.Common.Errors.ValidationException;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Identity.Specifications;
using FunctionsPlatform.Application.Workspaces.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.Workspaces;

public sealed record WorkspaceDto(string Id, string Name, DateTimeOffset CreatedAt);

public sealed record MembershipDto(string WorkspaceId, string UserId, string Role, DateTimeOffset CreatedAt)
{
    public static MembershipDto From(Membership m) => new(m.WorkspaceId, m.UserId, m.Role.ToString().ToLowerInvariant(), m.CreatedAt);
}

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

internal sealed class CreateWorkspaceValidator : AbstractValidator<CreateWorkspaceCommand>
{
    public CreateWorkspaceValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Workspace.NameMaxLength);
        RuleFor(c => c.Id).Must(id => id is null || WorkspaceErrors.IsValidChosenId(id))
            .WithMessage("'id' must match [a-zA-Z0-9][a-zA-Z0-9._-]{0,35}.");
    }
}

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

internal sealed class AddMemberValidator : AbstractValidator<AddMemberCommand>
{
    public AddMemberValidator()
    {
        RuleFor(c => c.UserId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(c => c.Role).Must(r => r is "owner" or "member").WithMessage("'role' must be owner or member.");
    }
}
