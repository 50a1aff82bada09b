using FunctionsPlatform.Domain.Identity;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Identity;

public sealed class ApiKeyTests
{
    private static ApiKey NewKey(DateTimeOffset? expiresAt = null, params string[] scopes) =>
        ApiKey.Create("key_1", "ci", "hash", "usr_1", scopes.Length == 0 ? [Scope.FunctionsRead] : scopes, null, expiresAt, Now);

    [Test]
    public void Create_WhenUnknownScope_ShouldThrowUnknownScope() =>
        AssertDomainError(IdentityErrors.UnknownScope, () => NewKey(null, Scope.FunctionsRead, "functions.delete"));

    [Test]
    public void Create_WhenDuplicateScopes_ShouldKeepOne() =>
        Assert.That(NewKey(null, Scope.FunctionsRead, Scope.FunctionsRead).Scopes, Is.EqualTo(new[] { Scope.FunctionsRead }));

    [Test]
    public void Create_WhenExpiryInPast_ShouldThrowExpiryInPast() =>
        AssertDomainError(IdentityErrors.ExpiryInPast, () => NewKey(Now.AddSeconds(-1)));

    [Test]
    public void Create_WhenExpiryIsNow_ShouldThrowExpiryInPast() =>
        AssertDomainError(IdentityErrors.ExpiryInPast, () => NewKey(Now));

    [Test]
    public void HasScope_WhenGranted_ShouldBeTrue()
    {
        var key = NewKey(null, Scope.FunctionsRead);
        Assert.That(key.HasScope(Scope.FunctionsRead), Is.True);
        Assert.That(key.HasScope(Scope.FunctionsWrite), Is.False);
    }

    [Test]
    public void IsUsableAt_WhenBeforeExpiry_ShouldBeTrue() => Assert.That(NewKey(Now.AddHours(1)).IsUsableAt(Now.AddMinutes(59)), Is.True);

    [Test]
    public void IsUsableAt_WhenAtOrAfterExpiry_ShouldBeFalse()
    {
        var key = NewKey(Now.AddHours(1));
        Assert.That(key.IsUsableAt(Now.AddHours(1)), Is.False);
        Assert.That(key.IsUsableAt(Now.AddHours(2)), Is.False);
    }

    [Test]
    public void IsUsableAt_WhenNoExpiry_ShouldBeTrue() => Assert.That(NewKey().IsUsableAt(Now.AddYears(10)), Is.True);

    [Test]
    public void Revoke_WhenCalled_ShouldMakeUnusable()
    {
        var key = NewKey();
        key.Revoke(Now);
        Assert.That(key.RevokedAt, Is.EqualTo(Now));
        Assert.That(key.IsUsableAt(Now), Is.False);
    }

    [Test]
    public void Revoke_WhenRevokedTwice_ShouldKeepFirstTime()
    {
        var key = NewKey();
        key.Revoke(Now);
        key.Revoke(Now.AddHours(1));
        Assert.That(key.RevokedAt, Is.EqualTo(Now));
    }
}

public sealed class UserTests
{
    [Test]
    public void Create_WhenEmailMixedCase_ShouldNormalise() =>
        Assert.That(User.Create("usr_1", "A", " A@Example.TEST ", false, Now).Email, Is.EqualTo("a@example.test"));

    [TestCase("")]
    [TestCase("no-at-sign")]
    public void Create_WhenEmailInvalid_ShouldThrowEmailInvalid(string email) =>
        AssertDomainError(IdentityErrors.EmailInvalid, () => User.Create("usr_1", "A", email, false, Now));
}
