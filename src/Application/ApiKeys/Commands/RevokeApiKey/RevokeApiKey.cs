using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.ApiKeys.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.ApiKeys.Commands.RevokeApiKey;

/// <summary>DELETE /api/api-keys/{id}: revoked at once (the authenticator's cache is dropped). Another user's key is a 404 for non-admins.</summary>
public sealed record RevokeApiKeyCommand(string Id) : ICommand<SuccessDto>;

internal sealed class RevokeApiKeyHandler(IRepository<ApiKey> keys, ICurrentPrincipal principal, IApiKeyAuthenticator authenticator, ISessionAuthenticator sessions, TimeProvider clock)
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
        sessions.ForgetKey(key.Id);
        return new SuccessDto(true);
    }
}
