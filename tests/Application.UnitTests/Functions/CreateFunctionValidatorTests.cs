using FluentValidation.Results;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.UnitTests.Common;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.UnitTests.Functions;

public sealed class CreateFunctionValidatorTests
{
    private static readonly CreateFunctionCommand Valid = new("default", "hello", null, null, null, null, null, null);

    private static ValidationResult Validate(CreateFunctionCommand command) => new CreateFunctionValidator(new FakeRuntimeCatalog()).Validate(command);

    private static void AssertOnlyFails(CreateFunctionCommand command, string property)
    {
        var result = Validate(command);
        Assert.That(result.Errors.Select(e => e.PropertyName).Distinct(), Is.EqualTo(new[] { property }), string.Join("; ", result.Errors));
    }

    [Test]
    public void Validate_WhenMinimal_ShouldPass() => Assert.That(Validate(Valid).IsValid, Is.True);

    [Test]
    public void Validate_WhenEverythingSet_ShouldPass() =>
        Assert.That(Validate(Valid with { Description = "d", Source = "openapi-op", InputSchemaId = "sch_1", OutputSchemaId = "sch_2", Runtime = "python-3.12", Entrypoint = "src/main.py" }).IsValid, Is.True);

    [TestCase(0)]
    [TestCase(65)]
    public void Validate_WhenProcessConcurrencyOutOfRange_ShouldFailProcessConcurrency(int concurrency) =>
        AssertOnlyFails(Valid with { ProcessConcurrency = concurrency }, "ProcessConcurrency");

    [TestCase(1)]
    [TestCase(64)]
    public void Validate_WhenProcessConcurrencyInRange_ShouldPass(int concurrency) =>
        Assert.That(Validate(Valid with { ProcessConcurrency = concurrency }).IsValid, Is.True);

    [Test]
    public void Validate_WhenWorkspaceIdEmpty_ShouldFailWorkspaceId() => AssertOnlyFails(Valid with { WorkspaceId = "" }, "WorkspaceId");

    [Test]
    public void Validate_WhenWorkspaceIdTooLong_ShouldFailWorkspaceId() => AssertOnlyFails(Valid with { WorkspaceId = new string('w', 65) }, "WorkspaceId");

    [Test]
    public void Validate_WhenNameEmpty_ShouldFailName() => AssertOnlyFails(Valid with { Name = "" }, "Name");

    [Test]
    public void Validate_WhenNameTooLong_ShouldFailName() => AssertOnlyFails(Valid with { Name = new string('n', FunctionLimits.NameMaxLength + 1) }, "Name");

    [Test]
    public void Validate_WhenDescriptionTooLong_ShouldFailDescription() =>
        AssertOnlyFails(Valid with { Description = new string('d', FunctionLimits.DescriptionMaxLength + 1) }, "Description");

    [Test]
    public void Validate_WhenSourceUnknown_ShouldFailSource() => AssertOnlyFails(Valid with { Source = "github" }, "Source");

    [Test]
    public void Validate_WhenInputSchemaIdEmpty_ShouldFailInputSchemaId() => AssertOnlyFails(Valid with { InputSchemaId = "" }, "InputSchemaId");

    [Test]
    public void Validate_WhenOutputSchemaIdTooLong_ShouldFailOutputSchemaId() => AssertOnlyFails(Valid with { OutputSchemaId = new string('s', 65) }, "OutputSchemaId");

    [Test]
    public void Validate_WhenRuntimeNotInstalled_ShouldFailRuntimeListingAvailable()
    {
        AssertOnlyFails(Valid with { Runtime = "ruby-3.3" }, "Runtime");
        Assert.That(Validate(Valid with { Runtime = "ruby-3.3" }).Errors.Single().ErrorMessage, Does.Contain("node-20"));
    }

    [TestCase("../escape.js")]
    [TestCase("/abs.js")]
    public void Validate_WhenEntrypointNotRelative_ShouldFailEntrypoint(string entrypoint) => AssertOnlyFails(Valid with { Entrypoint = entrypoint }, "Entrypoint");
}
