using FluentValidation;
using ValidationException = FunctionsPlatform.Application.Common.Errors.ValidationException;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Identity.Specifications;
using FunctionsPlatform.Application.Workspaces.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Workspaces;
using MapsterMapper;

namespace FunctionsPlatform.Application.Identity;

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

internal sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator(TimeProvider clock)
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(ApiKey.NameMaxLength);
        RuleFor(c => c.Scopes).NotNull().WithMessage("'scopes' is required (it may be empty).");
        RuleFor(c => c.Scopes).Must(s => s!.Count <= Scope.All.Count * 2)
            .Must(s => s!.All(Scope.All.Contains))
            .WithMessage(c => $"Unknown scope '{c.Scopes!.First(s => !Scope.All.Contains(s))}'. Known: {string.Join(", ", Scope.All)}.")
            .When(c => c.Scopes is not null);
        RuleFor(c => c.UserId).MaximumLength(IdPrefixes.MaxIdLength).Must(id => id is null || id.Length > 0);
        RuleFor(c => c.WorkspaceId).MaximumLength(IdPrefixes.MaxIdLength).Must(id => id is null || id.Length > 0);
        RuleFor(c => c.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).WithMessage("'expiresAt' must be in the future.");
    }
}

/// <summary>GET /api/api-keys: the caller's live keys (every live key for admins); never the token.</summary>
public sealed record ListApiKeysQuery : IQuery<IReadOnlyList<ApiKeyDto>>;

internal sealed class ListApiKeysHandler(IReadRepository<ApiKey> keys, ICurrentPrincipal principal, IMapper mapper)
    : MediatR.IRequestHandler<ListApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async Task<IReadOnlyList<ApiKeyDto>> Handle(ListApiKeysQuery request, CancellationToken cancellationToken)
    {
        if (!principal.IsAuthenticated)
        {
            throw new UnauthorizedException();
        }

        var list = await keys.ListAsync(new LiveApiKeysSpec(principal.IsAdmin ? null : principal.UserId), cancellationToken);
        return [.. list.Select(mapper.Map<ApiKeyDto>)];
    }
}

/// <summary>DELETE /api/api-keys/{id}: revoked at once (the authenticator's cache is dropped). Another user's key is a 404 for non-admins.</summary>
public sealed record RevokeApiKeyCommand(string Id) : ICommand<SuccessDto>;

internal sealed class RevokeApiKeyHandler(IRepository<ApiKey> keys, ICurrentPrincipal principal, IApiKeyAuthenticator authenticator, TimeProvider clock)
    : MediatR.IRequestHandler<RevokeApiKeyCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        if (!principal.IsAuthenticated)
        {
            throw new UnauthorizedException();
        }

        var key = await keys.FirstOrDefaultAsync(new LiveApiKeyByIdSpec(request.Id), cancellationToken);
        if (key is null || (!principal.IsAdmin && key.UserId != principal.UserId))
        {
            throw new NotFoundException("API key", request.Id);
        }

        key.Revoke(clock.GetUtcNow());
        // Forget now, and again once the revocation is committed (ApiKeyRevokedHandler), so a request racing this one
        // cannot re-cache the key as valid in between.
        authenticator.Forget(key.Id);
        return new SuccessDto(true);
    }
}

internal sealed class ApiKeyRevokedHandler(IApiKeyAuthenticator authenticator) : IDomainEventHandler<ApiKeyRevoked>
{
    public Task HandleAsync(ApiKeyRevoked domainEvent, CancellationToken ct)
    {
        authenticator.Forget(domainEvent.KeyId);
        return Task.CompletedTask;
    }
}
