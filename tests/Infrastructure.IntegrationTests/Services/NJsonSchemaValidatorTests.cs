using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FunctionsPlatform.Infrastructure.Services;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Services;

public sealed class NJsonSchemaValidatorTests
{
    private readonly NJsonSchemaValidator _validator = new();

    [Test]
    public void Validate_WhenAStoredSchemaPointsAtAUrl_ShouldReportItUnusable_AndNeverConnect()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // As a schema stored before references were checked at create time would be.
        var problems = _validator.Validate($$"""{"$ref":"http://127.0.0.1:{{port}}/x.json"}""", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Count.EqualTo(1));
            Assert.That(problems[0], Does.StartWith("The schema cannot be used"));
            Assert.That(listener.Pending(), Is.False, "the validator connected to the referenced URL");
        });
    }

    [TestCase("""{"$ref":"https://example.invalid/s.json"}""", "/$ref")]
    [TestCase("""{"items":{"$dynamicRef":"meta.json#node"}}""", "/items/$dynamicRef")]
    [TestCase("""{"properties":{"a/b":{"$ref":"file:///etc/passwd"}}}""", "/properties/a~1b/$ref")]
    public void CheckSchema_WhenAReferenceLeavesTheDocument_ShouldNameItsPointer(string schema, string pointer) =>
        Assert.That(_validator.CheckSchema(schema), Has.Some.StartsWith(pointer + ":"));

    [Test]
    public void CheckSchema_WhenReferencesStayInside_ShouldAccept() =>
        Assert.That(_validator.CheckSchema("""{"$defs":{"n":{"type":"integer"}},"type":"object","properties":{"n":{"$ref":"#/$defs/n"}}}"""), Is.Empty);

    [Test]
    public void Validate_WithBacktrackingPatternInsideAnyOf_ShouldStopWithinTheBudget()
    {
        const string schema = """{"anyOf":[{"type":"string","pattern":"^(a+)+$"},{"type":"integer"}]}""";
        var watch = Stopwatch.StartNew();

        var problems = _validator.Validate(schema, "\"" + new string('a', 40) + "!\"");

        Assert.Multiple(() =>
        {
            Assert.That(watch.Elapsed, Is.LessThan(BoundedSchemaValidator.Budget + BoundedSchemaValidator.MatchTimeout * 2 + TimeSpan.FromMilliseconds(500)));
            Assert.That(problems, Has.One.Contains("took longer than"));
        });
    }

    [Test]
    public void Validate_WithManyValuesEachJustUnderTheMatchTimeout_ShouldStillStopWithinTheBudget()
    {
        // Each value backtracks a little; together they would run far beyond the budget.
        const string schema = """{"type":"array","items":{"type":"string","pattern":"^(a+)+$"}}""";
        var values = string.Join(",", Enumerable.Repeat("\"" + new string('a', 18) + "!\"", 2000));
        var watch = Stopwatch.StartNew();

        var problems = _validator.Validate(schema, $"[{values}]");

        Assert.Multiple(() =>
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
            Assert.That(problems, Has.One.Contains("took longer than"));
        });
    }

    [Test]
    public void Validate_WithOrdinaryPattern_ShouldMatchAsBefore()
    {
        const string schema = """{"type":"object","properties":{"id":{"type":"string","pattern":"^[a-z]+_[0-9]+$"}},"patternProperties":{"^x-":{"type":"integer"}}}""";
        Assert.Multiple(() =>
        {
            Assert.That(_validator.Validate(schema, """{"id":"abc_12","x-a":1}"""), Is.Empty);
            Assert.That(_validator.Validate(schema, """{"id":"ABC"}"""), Has.One.Contains("PatternMismatch"));
            Assert.That(_validator.Validate(schema, """{"x-a":"not a number"}"""), Is.Not.Empty);
        });
    }
}
