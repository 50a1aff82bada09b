using FunctionsPlatform.Domain.Identity;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Identity;

public sealed class SessionTests
{
    private static ApiKey Key(DateTimeOffset? expiresAt = null) =>
        ApiKey.Create("key_1", "login", "hash", "usr_1", [Scope.FunctionsRead], null, expiresAt, Now);

    [Test]
    public void Open_OnAKeyWithoutExpiry_ShouldLastTheSessionLifetime()
    {
        var session = Session.Open("ses_1", "secret-hash", Key(), Now);

        Assert.Multiple(() =>
        {
            Assert.That(session.ExpiresAt, Is.EqualTo(Now + Session.Lifetime));
            Assert.That(session.UserId, Is.EqualTo("usr_1"));
            Assert.That(session.ApiKeyId, Is.EqualTo("key_1"));
            Assert.That(session.IsUsableAt(Now + Session.Lifetime), Is.False);
        });
    }

    [Test]
    public void Open_OnAKeyExpiringSooner_ShouldEndWithTheKey() =>
        Assert.That(Session.Open("ses_1", "h", Key(Now.AddHours(1)), Now).ExpiresAt, Is.EqualTo(Now.AddHours(1)));

    [Test]
    public void Open_OnARevokedKey_ShouldThrowKeyNotUsable()
    {
        var key = Key();
        key.Revoke(Now);

        AssertDomainError(IdentityErrors.KeyNotUsable, () => Session.Open("ses_1", "h", key, Now));
    }

    [Test]
    public void End_ShouldRaiseSessionEnded_SoCachesForgetItOnceTheRemovalIsCommitted()
    {
        var session = Session.Open("ses_1", "h", Key(), Now);

        session.End(Now.AddMinutes(5));

        Assert.That(session.DomainEvents, Is.EqualTo(new[] { new SessionEnded("ses_1", Now.AddMinutes(5)) }));
    }
}
