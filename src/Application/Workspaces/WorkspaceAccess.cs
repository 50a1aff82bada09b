using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Workspaces.Specifications;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.Workspaces;

/// <summary>Answers "may the caller see this workspace?" and "which workspaces may it see?" (members see theirs, admins all).</summary>
public interface IWorkspaceAccess
{
    /// <summary>401 when the key is bound to another workspace; 404 when the caller is not a member (or it does not exist).</summary>
    Task EnsureAccessAsync(string workspaceId, CancellationToken ct = default);

    /// <summary>The workspace ids the caller may see; <c>null</c> means every workspace (admin with an unbound key).</summary>
    Task<IReadOnlyCollection<string>?> VisibleWorkspaceIdsAsync(CancellationToken ct = default);

    /// <summary>Whether the caller may see this one workspace (it exists, the key is not bound elsewhere, and the caller is an admin or a member).</summary>
    Task<bool> CanSeeAsync(string workspaceId, CancellationToken ct = default);
}

internal sealed class WorkspaceAccess(ICurrentPrincipal principal, IReadRepository<Workspace> workspaces, WorkspaceGrantCache grants) : IWorkspaceAccess
{
    private IReadOnlyCollection<string>? _visible;
    private bool _loaded;

    public async Task EnsureAccessAsync(string workspaceId, CancellationToken ct = default)
    {
        if (principal.KeyWorkspaceId is not null && principal.KeyWorkspaceId != workspaceId)
        {
            throw new UnauthorizedException("The API key is restricted to another workspace.", "general_unauthorized_scope");
        }

        if (!await CanSeeAsync(workspaceId, ct))
        {
            throw new NotFoundException("Workspace", workspaceId, "project_not_found");
        }
    }

    public async Task<bool> CanSeeAsync(string workspaceId, CancellationToken ct = default)
    {
        if (principal.KeyWorkspaceId is not null && principal.KeyWorkspaceId != workspaceId)
        {
            return false;
        }

        var grant = new WorkspaceGrantCache.Grant(principal.UserId, principal.IsAdmin, principal.KeyWorkspaceId, workspaceId);
        if (grants.IsGranted(grant))
        {
            return true;
        }

        // One row probe for this workspace, whatever else the caller may see: an admin sees any that exists, a function's
        // key the one it is bound to (checked above) while it exists.
        var allowed = principal.IsAdmin || principal.KeyFunctionId is not null
            ? await workspaces.AnyAsync(new WorkspaceByIdSpec(workspaceId), ct)
            : await workspaces.AnyAsync(new WorkspaceOfMemberSpec(principal.UserId, workspaceId), ct);
        if (allowed)
        {
            grants.Remember(grant);
        }

        return allowed;
    }

    public async Task<IReadOnlyCollection<string>?> VisibleWorkspaceIdsAsync(CancellationToken ct = default)
    {
        if (_loaded)
        {
            return _visible;
        }

        if (principal.KeyWorkspaceId is not null)
        {
            var bound = principal.KeyWorkspaceId;
            var allowed = principal.IsAdmin || principal.KeyFunctionId is not null
                ? await workspaces.AnyAsync(new WorkspaceByIdSpec(bound), ct)
                : await workspaces.AnyAsync(new WorkspaceOfMemberSpec(principal.UserId, bound), ct);
            _visible = allowed ? [bound] : [];
        }
        else if (principal.IsAdmin)
        {
            _visible = null;
        }
        else
        {
            _visible = await workspaces.ListAsync(new WorkspaceIdsOfMemberSpec(principal.UserId), ct);
        }

        _loaded = true;
        return _visible;
    }
}
