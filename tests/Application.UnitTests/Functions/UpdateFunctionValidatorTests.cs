using FluentValidation.Results;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Functions.Commands.UpdateFunction;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.UnitTests.Functions;

public sealed class UpdateFunctionValidatorTests
{
    private static readonly UpdateFunctionCommand Empty = new("fun_1", Optional<string?>.Absent, Optional<string?>.Absent, Optional<string?>.Absent);

    private static ValidationResult Validate(UpdateFunctionCommand command) => new UpdateFunctionValidator().Validate(command);

    private static void AssertOnlyFails(UpdateFunctionCommand command, string property)
    {
        var result = Validate(command);
        Assert.That(result.Errors.Select(e => e.PropertyName).Distinct(), Is.EqualTo(new[] { property }), string.Join("; ", result.Errors));
    }

    [Test]
    public void Validate_WhenNothingSet_ShouldPass() => Assert.That(Validate(Empty).IsValid, Is.True);

    [Test]
    public void Validate_WhenDescriptionSetToNull_ShouldPass() => Assert.That(Validate(Empty with { Description = new Optional<string?>(true, null) }).IsValid, Is.True);

    [Test]
    public void Validate_WhenNameSetEmpty_ShouldFailName() => AssertOnlyFails(Empty with { Name = "" }, "name");

    [Test]
    public void Validate_WhenNameSetNull_ShouldFailName() => AssertOnlyFails(Empty with { Name = new Optional<string?>(true, null) }, "name");

    [Test]
    public void Validate_WhenNameTooLong_ShouldFailName() => AssertOnlyFails(Empty with { Name = new string('n', FunctionLimits.NameMaxLength + 1) }, "name");

    [Test]
    public void Validate_WhenDescriptionTooLong_ShouldFailDescription() =>
        AssertOnlyFails(Empty with { Description = new string('d', FunctionLimits.DescriptionMaxLength + 1) }, "description");

    [TestCase(0)]
    [TestCase(65)]
    public void Validate_WhenProcessConcurrencyOutOfRange_ShouldFailProcessConcurrency(int concurrency) =>
        AssertOnlyFails(Empty with { ProcessConcurrency = new Optional<int?>(true, concurrency) }, "processConcurrency");

    [Test]
    public void Validate_WhenProcessConcurrencySetNull_ShouldFailProcessConcurrency() =>
        AssertOnlyFails(Empty with { ProcessConcurrency = new Optional<int?>(true, null) }, "processConcurrency");

    [Test]
    public void Validate_WhenProcessConcurrencyInRange_ShouldPass() =>
        Assert.That(Validate(Empty with { ProcessConcurrency = new Optional<int?>(true, 16) }).IsValid, Is.True);

    [Test]
    public void Validate_WhenRuntimeUserIdTooLong_ShouldFailRuntimeUserId() => AssertOnlyFails(Empty with { RuntimeUserId = new string('u', 65) }, "runtimeUserId");
}
