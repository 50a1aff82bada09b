using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Account.EventHandlers;
using FunctionsPlatform.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Application.UnitTests.Account;

/// <summary>Logout forgets the session again once its removal is committed (the domain event is dispatched after the save).</summary>
public sealed class SessionEndedHandlerTests
{
    [Test]
    public async Task HandleAsync_ShouldForgetTheEndedSessionOnly()
    {
        var sessions = new RecordingSessions();

        await new SessionEndedHandler(sessions).HandleAsync(new SessionEnded("ses_1", DateTimeOffset.UnixEpoch), CancellationToken.None);

        Assert.That(sessions.Forgotten, Is.EqualTo(new[] { "ses_1" }));
        Assert.That(sessions.KeysForgotten, Is.Empty, "the key and its other sessions stay valid");
    }

    [Test]
    public void AddApplication_ShouldRegisterTheHandlerForSessionEnded()
    {
        var services = new ServiceCollection();
        services.AddApplication();

        Assert.That(services.Any(d => d.ServiceType == typeof(IDomainEventHandler<SessionEnded>) && d.ImplementationType == typeof(SessionEndedHandler)), Is.True);
    }

    private sealed class RecordingSessions : ISessionAuthenticator
    {
        public List<string> Forgotten { get; } = [];

        public List<string> KeysForgotten { get; } = [];

        public ValueTask<AuthenticatedKey?> AuthenticateAsync(string secret, CancellationToken ct = default) => ValueTask.FromResult<AuthenticatedKey?>(null);

        public void Forget(string sessionId) => Forgotten.Add(sessionId);

        public void ForgetKey(string keyId) => KeysForgotten.Add(keyId);
    }
}
