using FunctionsPlatform.Domain.ProxyRules;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.ProxyRules;

public sealed class ProxyRuleTests
{
    private const string FunctionsDomain = "functions.localhost";

    [TestCase("api.functions.localhost")]
    [TestCase("a.functions.localhost")]
    [TestCase("6750a2b3c4d5e6f7a8b9.functions.localhost")]
    [TestCase("my-fn-2.functions.localhost")]
    public void IsAllowed_OneLabelUnderTheFunctionsDomain_ShouldBeTrue(string domain) =>
        Assert.That(ProxyRule.IsAllowed(domain, FunctionsDomain), Is.True);

    [TestCase("functions.localhost")]
    [TestCase("a.b.functions.localhost")]
    [TestCase("-a.functions.localhost")]
    [TestCase("a-.functions.localhost")]
    [TestCase("a_b.functions.localhost")]
    [TestCase("afunctions.localhost")]
    [TestCase("a.functions.localhost.evil.com")]
    [TestCase("")]
    public void IsAllowed_AnythingElse_ShouldBeFalse(string domain) =>
        Assert.That(ProxyRule.IsAllowed(domain, FunctionsDomain), Is.False);

    [Test]
    public void IsAllowed_ALabelOver63Characters_ShouldBeFalse() =>
        Assert.That(ProxyRule.IsAllowed(new string('a', 64) + "." + FunctionsDomain, FunctionsDomain), Is.False);

    [Test]
    public void IsAllowed_WhenDomainsAreOff_ShouldBeFalse() =>
        Assert.That(ProxyRule.IsAllowed("a.functions.localhost", ""), Is.False);

    [Test]
    public void ForFunction_ShouldStoreTheDomainLowerCaseWithoutATrailingDot() =>
        Assert.That(ProxyRule.ForFunction("rule_1", "ws", " Api.Functions.LocalHost. ", "fun_1", FunctionsDomain, Now).Domain,
            Is.EqualTo("api.functions.localhost"));

    [Test]
    public void ForFunction_OutsideTheFunctionsDomain_ShouldThrowDomainNotAllowed() =>
        AssertDomainError(ProxyRuleErrors.DomainNotAllowed, () => ProxyRule.ForFunction("rule_1", "ws", "example.com", "fun_1", FunctionsDomain, Now));
}
