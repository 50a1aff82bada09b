using FunctionsPlatform.Application.ProxyRules;

namespace FunctionsPlatform.Application.UnitTests.ProxyRules;

public sealed class DomainSettingsTests
{
    [TestCase("echo.functions.localhost")]
    [TestCase("Echo.Functions.LocalHost")]
    [TestCase("ECHO.FUNCTIONS.LOCALHOST")]
    [TestCase("echo.functions.localhost.")]
    [TestCase(" echo.functions.localhost ")]
    [TestCase("a.b.functions.localhost")] // claimed, then unknown to the rule lookup (404): no rule is two labels deep
    public void IsFunctionsSubdomain_UnderTheFunctionsDomain_ShouldBeTrue(string host) =>
        Assert.That(new DomainSettings().IsFunctionsSubdomain(host), Is.True);

    [TestCase("functions.localhost")]
    [TestCase("Functions.Localhost.")]
    [TestCase("echofunctions.localhost")]
    [TestCase("echo.functions.localhost.example.com")]
    [TestCase("echo.functions.local")]
    [TestCase("127.0.0.1")]
    [TestCase("[::1]")]
    [TestCase("")]
    public void IsFunctionsSubdomain_OfAnyOtherHost_ShouldBeFalse(string host) =>
        Assert.That(new DomainSettings().IsFunctionsSubdomain(host), Is.False);

    [Test]
    public void SubdomainSuffix_ShouldFollowTheFunctionsDomain()
    {
        var settings = new DomainSettings { FunctionsDomain = "functions.example.com" };

        Assert.Multiple(() =>
        {
            Assert.That(settings.SubdomainSuffix, Is.EqualTo(".functions.example.com"));
            Assert.That(settings.IsFunctionsSubdomain("api.functions.example.com"), Is.True);
            Assert.That(settings.IsFunctionsSubdomain("api.functions.localhost"), Is.False, "the default no longer applies");
        });
    }

    [Test]
    public void IsFunctionsSubdomain_WhenDomainsAreOff_ShouldBeFalseForEveryHost()
    {
        var settings = new DomainSettings { FunctionsDomain = "" };

        Assert.Multiple(() =>
        {
            Assert.That(settings.SubdomainSuffix, Is.Empty);
            Assert.That(settings.IsFunctionsSubdomain("echo.functions.localhost"), Is.False);
            Assert.That(settings.IsFunctionsSubdomain("."), Is.False);
            Assert.That(settings.IsFunctionsSubdomain(""), Is.False);
        });
    }
}
