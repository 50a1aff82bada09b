using ValidationException = FunctionsPlatform.Application.Common.Errors.ValidationException;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Users.Specifications;
using FunctionsPlatform.Application.Workspaces.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.ApiKeys.Commands.CreateApiKey;

/// <summary>
/// POST /api/api-keys. A non-admin mints keys for itself only, with scopes it holds, for workspaces it belongs to
/// (and, when its own key is bound to a workspace, only keys bound to that same workspace); otherwise 403.
/// </summary>
public sealed record CreateApiKeyCommand(string Name, IReadOnlyList<string>? Scopes, string? UserId, string? WorkspaceId, DateTimeOffset? ExpiresAt)
    : ICommand<CreatedApiKeyDto>;

internal sealed class CreateApiKeyHandler(
    IRepository<ApiKey> keys,
    IReadRepository<User> users,
    IReadRepository<Workspace> workspaces,
    ICurrentPrincipal principal,
    ITokenHasher hasher,
    IIdGenerator ids,
    TimeProvider clock) : MediatR.IRequestHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    public async Task<CreatedApiKeyDto> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        if (!principal.IsAuthenticated)
        {
            throw new UnauthorizedException();
        }

        var scopes = request.Scopes ?? [];
        var userId = request.UserId ?? principal.UserId;
        if (!principal.IsAdmin)
        {
            if (userId != principal.UserId)
            {
                throw new ForbiddenException("A non-admin can only create keys for itself.");
            }

            var lacking = scopes.FirstOrDefault(s => !principal.HasScope(s));
            if (lacking is not null)
            {
                throw new ForbiddenException($"Cannot grant the '{lacking}' scope, which the calling key lacks.");
            }

            if (principal.KeyWorkspaceId is not null && request.WorkspaceId != principal.KeyWorkspaceId)
            {
                throw new ForbiddenException("A key bound to a workspace can only create keys bound to the same workspace.");
            }

            if (request.WorkspaceId is not null && !await workspaces.AnyAsync(new WorkspaceOfMemberSpec(userId, request.WorkspaceId), cancellationToken))
            {
                throw new ForbiddenException("Cannot create a key for a workspace the caller is not a member of.");
            }
        }
        else
        {
            var owner = await users.FirstOrDefaultAsync(new UserByIdSpec(userId), cancellationToken)
                ?? throw new ValidationException("userId", $"User '{userId}' does not exist.");
            if (request.WorkspaceId is not null && !await workspaces.AnyAsync(
                    owner.IsAdmin ? new WorkspaceByIdSpec(request.WorkspaceId) : new WorkspaceOfMemberSpec(userId, request.WorkspaceId), cancellationToken))
            {
                throw new ValidationException("workspaceId", $"Workspace '{request.WorkspaceId}' does not exist or the user is not a member of it.");
            }
        }

        var token = hasher.NewToken();
        var key = ApiKey.Create(
            ids.NewId(IdPrefixes.ApiKey), request.Name, hasher.Hash(token), userId, scopes, request.WorkspaceId, request.ExpiresAt, clock.GetUtcNow());
        keys.Add(key);
        return new CreatedApiKeyDto(key.Id, key.Name, token, [.. key.Scopes], key.UserId, key.WorkspaceId, key.ExpiresAt, key.CreatedAt);
    }
}
