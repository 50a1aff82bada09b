using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Functions.Queries;

namespace FunctionsPlatform.Application.UnitTests.Querying;

public sealed class OrderByJsonParserTests
{
    private static readonly IQueryModel Functions = FunctionQueryModel.Instance;

    private static string Describe(IReadOnlyList<OrderKey> keys) => string.Join(",", keys.Select(k => $"{k.Field.Name}:{k.Direction}"));

    [TestCase("asc", "asc_nulls_first", "asc_nulls_first")]
    [TestCase("desc", "desc_nulls_last", "desc_nulls_last")]
    [TestCase("asc_nulls_first", "asc_nulls_first", "asc_nulls_first")]
    [TestCase("asc_nulls_last", "asc_nulls_last", "asc_nulls_first")]
    [TestCase("desc_nulls_first", "desc_nulls_first", "desc_nulls_last")]
    [TestCase("desc_nulls_last", "desc_nulls_last", "desc_nulls_last")]
    public void Parse_Direction_ShouldSetNullsAndAppendIdInTheSameDirection(string direction, string expected, string id)
    {
        var keys = OrderByJsonParser.Parse($$"""[{"description":"{{direction}}"}]""", Functions);
        Assert.That(Describe(keys), Is.EqualTo($"description:{expected},id:{id}"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("[]")]
    public void Parse_NoOrder_ShouldBeCreatedAtDescIdDesc(string? json) =>
        Assert.That(Describe(OrderByJsonParser.Parse(json, Functions)), Is.EqualTo("createdAt:desc_nulls_last,id:desc_nulls_last"));

    [Test]
    public void Parse_SeveralKeys_ShouldKeepOrderAndTieBreakOnLast() =>
        Assert.That(Describe(OrderByJsonParser.Parse("""[{"name":"asc"},{"createdAt":"desc"}]""", Functions)),
            Is.EqualTo("name:asc_nulls_first,createdAt:desc_nulls_last,id:desc_nulls_last"));

    [Test]
    public void Parse_ExplicitIdAndDuplicates_ShouldStopAtIdAndDropRepeats() =>
        Assert.That(Describe(OrderByJsonParser.Parse("""[{"name":"asc"},{"name":"desc"},{"id":"asc"},{"timeout":"asc"}]""", Functions)),
            Is.EqualTo("name:asc_nulls_first,id:asc_nulls_first"));

    [TestCase("""[{"nope":"asc"}]""", "orderBy[0]")]
    [TestCase("""[{"name":"asc"},{"name":"up"}]""", "orderBy[1]")]
    [TestCase("""[{"name":"asc"},{"source":"asc"}]""", "orderBy[1]")]
    [TestCase("""[{"name":1}]""", "orderBy[0]")]
    [TestCase("""[{"name":"asc","id":"asc"}]""", "orderBy[0]")]
    [TestCase("""[{}]""", "orderBy[0]")]
    [TestCase("""["name"]""", "orderBy[0]")]
    [TestCase("""{"name":"asc"}""", "orderBy")]
    [TestCase("""[{"name":"ASC"}]""", "orderBy[0]")]
    [TestCase("""[{"name":""", "orderBy")]
    [TestCase("""[{"versions":"asc"}]""", "orderBy[0]")]
    public void Parse_BadInput_ShouldNameThePath(string json, string path)
    {
        var error = Assert.Throws<ValidationException>(() => OrderByJsonParser.Parse(json, Functions))!;
        Assert.That(error.Errors.Keys, Is.EquivalentTo(new[] { path }));
    }

    [Test]
    public void Parse_MoreThanTenKeys_ShouldFail()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("""{"name":"asc"}""", 11)) + "]";
        Assert.Throws<ValidationException>(() => OrderByJsonParser.Parse(json, Functions));
    }
}
