using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Functions.Commands.CreateAppwriteFunction;
using FunctionsPlatform.Application.Functions.Compute;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.UnitTests.Functions;

/// <summary>Appwrite runtime ids, host-honoured specifications, update keep-rules and the /v1 create rules.</summary>
public sealed class AppwriteFunctionRulesTests
{
    private sealed record Host(double Cpus, int MemoryMb) : IHostCapacity;

    private static readonly CreateAppwriteFunctionCommand Valid = new("default", "unique()", "fn", "node-20.0", new FunctionSettingsInput());

    private static List<string> FailedFields(CreateAppwriteFunctionCommand command, IHostCapacity? host = null) =>
        [.. new CreateAppwriteFunctionValidator(host ?? new Host(2, 4096)).Validate(command).Errors.Select(e => e.PropertyName).Distinct()];

    [TestCase("node", "20", "node-20.0")]
    [TestCase("node", "14", "node-14.5")]
    [TestCase("node", "22", "node-22")]
    [TestCase("python", "3.11", "python-3.11")]
    public void AppwriteId_ShouldFollowAppwritesNaming(string key, string version, string expected) =>
        Assert.That(AppwriteRuntimes.AppwriteId(new RuntimeInfo($"{key}-{version}", key, key, version, "/usr/bin/x")), Is.EqualTo(expected));

    [Test]
    public void Honoured_ShouldKeepOnlyWhatFitsTheHost() =>
        Assert.That(ComputeSpecifications.Honoured(new Host(2, 2048)).Select(s => s.Slug),
            Is.EqualTo(new[] { "s-0.5vcpu-512mb", "s-1vcpu-512mb", "s-1vcpu-1gb", "s-2vcpu-2gb" }));

    [Test]
    public void DefaultSpecification_WhenTheDomainDefaultDoesNotFit_ShouldBeTheSmallestThatDoes() =>
        Assert.That(FunctionSettingsRules.DefaultSpecification(new Host(0.5, 1024)), Is.EqualTo("s-0.5vcpu-512mb"));

    [Test]
    public void ToSettings_OnUpdate_ShouldKeepRepositoryFiltersAndSpecificationsButResetTheRest()
    {
        var function = Function.Create("fun_1", "ws", "fn", "node-20", DateTimeOffset.UnixEpoch, settings: new FunctionSettings
        {
            Timeout = 60, Schedule = "0 * * * *", ProviderBranches = ["main"], ProviderPaths = ["src"], RuntimeSpecification = "s-2vcpu-2gb",
            BuildSpecification = "s-1vcpu-1gb", ProviderRepositoryId = "repo",
        });

        var settings = new FunctionSettingsInput().ToSettings(function, "s-1vcpu-512mb");

        Assert.Multiple(() =>
        {
            Assert.That(settings.Timeout, Is.EqualTo(FunctionLimits.DefaultTimeoutSeconds));
            Assert.That(settings.Schedule, Is.Empty);
            Assert.That(settings.ProviderBranches, Is.EqualTo(new[] { "main" }));
            Assert.That(settings.ProviderPaths, Is.EqualTo(new[] { "src" }));
            Assert.That(settings.ProviderRepositoryId, Is.EqualTo("repo"));
            Assert.That(settings.RuntimeSpecification, Is.EqualTo("s-2vcpu-2gb"));
            Assert.That(settings.BuildSpecification, Is.EqualTo("s-1vcpu-1gb"));
        });
    }

    [Test]
    public void Validate_WhenMinimal_ShouldPass() => Assert.That(FailedFields(Valid), Is.Empty);

    [TestCase("a")]
    [TestCase("A.b-c_d")]
    [TestCase("123456789012345678901234567890123456")]
    public void Validate_WhenCustomIdValid_ShouldPass(string id) => Assert.That(FailedFields(Valid with { FunctionId = id }), Is.Empty);

    [TestCase("_a")]
    [TestCase(".a")]
    [TestCase("1234567890123456789012345678901234567")]
    [TestCase("a/b")]
    public void Validate_WhenCustomIdInvalid_ShouldFailFunctionId(string id) =>
        Assert.That(FailedFields(Valid with { FunctionId = id }), Is.EqualTo(new[] { "FunctionId" }));

    [TestCase("0 0 * * *")]
    [TestCase("@daily")]
    [TestCase("*/15 9-17 * * 1-5")]
    public void Validate_WhenCronParses_ShouldPass(string cron) =>
        Assert.That(FailedFields(Valid with { Settings = new() { Schedule = cron } }), Is.Empty);

    [TestCase("* * *")]
    [TestCase("0 0 32 * *")]
    public void Validate_WhenCronDoesNotParse_ShouldFailSchedule(string cron) =>
        Assert.That(FailedFields(Valid with { Settings = new() { Schedule = cron } }), Is.EqualTo(new[] { "schedule" }));

    [Test]
    public void Validate_WhenSpecificationTooBigForTheHost_ShouldFail() =>
        Assert.That(FailedFields(Valid with { Settings = new() { RuntimeSpecification = "s-2vcpu-2gb" } }, new Host(1, 1024)), Is.EqualTo(new[] { "runtimeSpecification" }));

    [TestCase("any")]
    [TestCase("guests")]
    [TestCase("users/unverified")]
    [TestCase("user:abc/verified")]
    [TestCase("team:t1")]
    [TestCase("member:m1")]
    [TestCase("label:vip")]
    public void Validate_WhenRoleValid_ShouldPass(string role) =>
        Assert.That(FailedFields(Valid with { Settings = new() { Execute = [role] } }), Is.Empty);
}
