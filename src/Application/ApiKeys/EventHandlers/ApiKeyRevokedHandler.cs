using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.ApiKeys.EventHandlers;

internal sealed class ApiKeyRevokedHandler(IApiKeyAuthenticator authenticator, ISessionAuthenticator sessions) : IDomainEventHandler<ApiKeyRevoked>
{
    public Task HandleAsync(ApiKeyRevoked domainEvent, CancellationToken ct)
    {
        authenticator.Forget(domainEvent.KeyId);
        sessions.ForgetKey(domainEvent.KeyId);
        return Task.CompletedTask;
    }
}
