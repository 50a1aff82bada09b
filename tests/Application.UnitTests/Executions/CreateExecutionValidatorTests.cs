using FluentValidation.Results;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.Executions.Commands.CreateExecution;

namespace FunctionsPlatform.Application.UnitTests.Executions;

/// <summary>One test per rule of Appwrite's createExecution parameters.</summary>
public sealed class CreateExecutionValidatorTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 30, TimeSpan.Zero);
    private static readonly CreateExecutionCommand Valid = new("fun_1");

    private static ValidationResult Validate(CreateExecutionCommand command, ScheduledExecutionRules? rules = null) =>
        new CreateExecutionValidator(rules ?? ScheduledExecutionRules.Appwrite, new FixedClock(Now)).Validate(command);

    private static void AssertOnlyFails(CreateExecutionCommand command, string field, ScheduledExecutionRules? rules = null)
    {
        var result = Validate(command, rules);
        Assert.That(result.Errors, Is.Not.Empty, "expected a failure");
        Assert.That(result.Errors.Select(e => e.PropertyName).Where(p => !p.StartsWith(field, StringComparison.OrdinalIgnoreCase)), Is.Empty,
            string.Join("; ", result.Errors));
    }

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    [Test]
    public void Validate_WhenMinimal_ShouldPass() => Assert.That(Validate(Valid).IsValid, Is.True);

    [Test]
    public void Validate_WhenEverythingSet_ShouldPass() =>
        Assert.That(Validate(Valid with
        {
            Body = "{}", Async = true, Path = "/a/b?x=1&y=2", Method = "PATCH",
            Headers = Headers(("content-type", "application/json"), ("X-Custom-1", "v")), ScheduledAt = new DateTimeOffset(2026, 12, 1, 10, 2, 0, TimeSpan.Zero),
        }).IsValid, Is.True);

    [Test]
    public void Validate_WhenFunctionIdEmpty_ShouldFailFunctionId() => AssertOnlyFails(Valid with { FunctionId = "" }, "FunctionId");

    [Test]
    public void Validate_WhenBodyOver10MiB_ShouldFailBody() =>
        AssertOnlyFails(Valid with { Body = new string('b', ExecutionRequestRules.MaxBodyLength + 1) }, "Body");

    [Test]
    public void Validate_WhenBodyExactly10MiB_ShouldPass() =>
        Assert.That(Validate(Valid with { Body = new string('b', ExecutionRequestRules.MaxBodyLength) }).IsValid, Is.True);

    [Test]
    public void Validate_WhenPathWithoutLeadingSlash_ShouldFailPath() => AssertOnlyFails(Valid with { Path = "a?b=1" }, "Path");

    [Test]
    public void Validate_WhenPathTooLong_ShouldFailPath() => AssertOnlyFails(Valid with { Path = "/" + new string('p', 2048) }, "Path");

    [Test]
    public void Validate_WhenPathHasControlCharacters_ShouldFailPath() => AssertOnlyFails(Valid with { Path = "/a\r\nb" }, "Path");

    [Test]
    public void Validate_WhenMethodUnknown_ShouldFailMethod() => AssertOnlyFails(Valid with { Method = "TRACE" }, "Method");

    [Test]
    public void Validate_WhenMethodLowerCase_ShouldFailMethod() => AssertOnlyFails(Valid with { Method = "get" }, "Method");

    [Test]
    public void Validate_WhenMoreThan100Headers_ShouldFailHeaders() =>
        AssertOnlyFails(Valid with { Headers = Enumerable.Range(0, 101).ToDictionary(i => $"h{i}", _ => "v") }, "Headers");

    [Test]
    public void Validate_When100Headers_ShouldPass() =>
        Assert.That(Validate(Valid with { Headers = Enumerable.Range(0, 100).ToDictionary(i => $"h{i}", _ => "v") }).IsValid, Is.True);

    [Test]
    public void Validate_WhenHeadersTotal16384Characters_ShouldFailHeaders() =>
        AssertOnlyFails(Valid with { Headers = Headers(("a", new string('v', ExecutionRequestRules.MaxHeadersTotalLength - 1))) }, "Headers");

    [Test]
    public void Validate_WhenHeadersTotalJustUnderLimit_ShouldPass() =>
        Assert.That(Validate(Valid with { Headers = Headers(("a", new string('v', ExecutionRequestRules.MaxHeadersTotalLength - 2))) }).IsValid, Is.True);

    [TestCase("-lead")]
    [TestCase("trail-")]
    [TestCase("under_score")]
    [TestCase("sp ace")]
    [TestCase("")]
    [TestCase("nön-ascii")]
    public void Validate_WhenHeaderNameInvalid_ShouldFailHeaders(string name) => AssertOnlyFails(Valid with { Headers = Headers((name, "v")) }, "Headers");

    [TestCase("x-appwrite-trigger")]
    [TestCase("X-Appwrite-Key")]
    public void Validate_WhenHeaderReserved_ShouldFailHeaders(string name) => AssertOnlyFails(Valid with { Headers = Headers((name, "v")) }, "Headers");

    [TestCase("a\r\nx-injected: 1")]
    [TestCase("nul\0byte")]
    public void Validate_WhenHeaderValueHasControlCharacters_ShouldFailHeaders(string value) =>
        AssertOnlyFails(Valid with { Headers = Headers(("x-ok", value)) }, "Headers");

    [Test]
    public void Validate_WhenScheduledAtWithoutAsync_ShouldFailScheduledAt() =>
        AssertOnlyFails(Valid with { ScheduledAt = new DateTimeOffset(2026, 12, 1, 10, 5, 0, TimeSpan.Zero) }, "ScheduledAt");

    [Test]
    public void Validate_WhenScheduledAtLessThanAMinuteAhead_ShouldFailScheduledAt() =>
        AssertOnlyFails(Valid with { Async = true, ScheduledAt = new DateTimeOffset(2026, 12, 1, 10, 1, 0, TimeSpan.Zero) }, "ScheduledAt");

    [Test]
    public void Validate_WhenScheduledAtInThePast_ShouldFailScheduledAt() =>
        AssertOnlyFails(Valid with { Async = true, ScheduledAt = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero) }, "ScheduledAt");

    [Test]
    public void Validate_WhenScheduledAtHasSeconds_ShouldFailScheduledAt() =>
        AssertOnlyFails(Valid with { Async = true, ScheduledAt = new DateTimeOffset(2026, 12, 1, 10, 5, 30, TimeSpan.Zero) }, "ScheduledAt");

    [Test]
    public void Validate_WhenScheduledAtHasMilliseconds_ShouldFailScheduledAt() =>
        AssertOnlyFails(Valid with { Async = true, ScheduledAt = new DateTimeOffset(2026, 12, 1, 10, 5, 0, 1, TimeSpan.Zero) }, "ScheduledAt");

    [Test]
    public void Validate_WhenShortLeadConfigured_ShouldAcceptSecondsAhead() =>
        Assert.That(Validate(Valid with { Async = true, ScheduledAt = Now.AddSeconds(3) }, new ScheduledExecutionRules(TimeSpan.FromSeconds(2))).IsValid, Is.True);

    [Test]
    public void Validate_WhenShortLeadConfiguredAndTooSoon_ShouldFailScheduledAt() =>
        AssertOnlyFails(Valid with { Async = true, ScheduledAt = Now.AddSeconds(1) }, "ScheduledAt", new ScheduledExecutionRules(TimeSpan.FromSeconds(2)));
}
