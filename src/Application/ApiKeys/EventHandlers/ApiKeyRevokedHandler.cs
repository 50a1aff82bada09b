using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.ApiKeys.EventHandlers;

internal sealed class ApiKeyRevokedHandler(IApiKeyAuthenticator authenticator) : IDomainEventHandler<ApiKeyRevoked>
{
    public Task HandleAsync(ApiKeyRevoked domainEvent, CancellationToken ct)
    {
        authenticator.Forget(domainEvent.KeyId);
        return Task.CompletedTask;
    }
}
