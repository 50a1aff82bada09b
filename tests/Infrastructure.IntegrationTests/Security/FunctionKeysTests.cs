using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Security;

public sealed class FunctionKeysTests
{
    private readonly FakeClock _clock = new();
    private readonly IDataProtectionProvider _protection = new EphemeralDataProtectionProvider();

    private FunctionKeys Keys() => new(_protection, _clock);

    [Test]
    public void IssuedKey_ReadsBackBoundToItsWorkspace_WithOnlyTheScopesGrantableToFunctions()
    {
        var keys = Keys();

        var token = keys.Issue("ws-1", "fn-1", ["functions.read", "users.write", "workspaces.admin", "executions.write"], TimeSpan.FromSeconds(75));
        var key = keys.Read(token);

        Assert.Multiple(() =>
        {
            Assert.That(token, Does.StartWith("ephemeral_"));
            Assert.That(key, Is.Not.Null);
            Assert.That(key!.WorkspaceId, Is.EqualTo("ws-1"));
            Assert.That(key.FunctionId, Is.EqualTo("fn-1"));
            Assert.That(key.IsAdmin, Is.False);
            Assert.That(key.UserId, Is.Empty, "no user stands behind a function's key");
            Assert.That(key.Scopes, Is.EquivalentTo(new[] { Scope.FunctionsRead, Scope.ExecutionsWrite }));
        });
    }

    [Test]
    public void Key_IsValidForWhatWasAsked_AndExpiresWithinAMinuteMore()
    {
        var keys = Keys();
        var token = keys.Issue("ws-1", "fn-1", [], TimeSpan.FromSeconds(75));

        _clock.Advance(TimeSpan.FromSeconds(75));
        Assert.That(keys.Read(token), Is.Not.Null, "valid for at least what was asked");
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.That(keys.Read(token), Is.Null, "expired");
    }

    [Test]
    public void Issue_ReusesAKeyOnlyWhileItStaysValidLongEnough()
    {
        var keys = Keys();
        var first = keys.Issue("ws-1", "fn-1", ["functions.read"], TimeSpan.FromSeconds(30));

        Assert.That(keys.Issue("ws-1", "fn-1", ["functions.read"], TimeSpan.FromSeconds(30)), Is.EqualTo(first));
        Assert.That(keys.Issue("ws-1", "fn-1", ["functions.write"], TimeSpan.FromSeconds(30)), Is.Not.EqualTo(first), "other scopes, another key");
        Assert.That(keys.Issue("ws-2", "fn-1", ["functions.read"], TimeSpan.FromSeconds(30)), Is.Not.EqualTo(first), "another workspace, another key");
        _clock.Advance(TimeSpan.FromSeconds(61));
        var later = keys.Issue("ws-1", "fn-1", ["functions.read"], TimeSpan.FromSeconds(30));
        Assert.That(later, Is.Not.EqualTo(first), "the first would expire before the 30 s asked");
        Assert.That(keys.Read(later), Is.Not.Null);
    }

    [TestCase("ephemeral_", TestName = "Read_EmptySeal_IsNoKey")]
    [TestCase("ephemeral_not-base64-at-all!", TestName = "Read_Garbage_IsNoKey")]
    [TestCase("fp_not_an_ephemeral_key", TestName = "Read_AnotherKind_IsNoKey")]
    public void Read_WhatIsNotASealedKey_IsNoKey(string token) => Assert.That(Keys().Read(token), Is.Null);

    [Test]
    public void Read_TamperedOrForeignKey_IsNoKey()
    {
        var token = Keys().Issue("ws-1", "fn-1", ["functions.read"], TimeSpan.FromSeconds(30));
        var tampered = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var foreign = new FunctionKeys(new EphemeralDataProtectionProvider(), _clock);

        Assert.Multiple(() =>
        {
            Assert.That(Keys().Read(tampered), Is.Null);
            Assert.That(foreign.Read(token), Is.Null, "sealed by another installation's keys");
        });
    }

    private sealed class FakeClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
