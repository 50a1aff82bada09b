using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Account.EventHandlers;

/// <summary>After a logout is committed: a lookup that read the session just before it cannot keep it cached.</summary>
internal sealed class SessionEndedHandler(ISessionAuthenticator sessions) : IDomainEventHandler<SessionEnded>
{
    public Task HandleAsync(SessionEnded domainEvent, CancellationToken ct)
    {
        sessions.Forget(domainEvent.SessionId);
        return Task.CompletedTask;
    }
}
