using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Functions.Queries;

namespace FunctionsPlatform.Application.UnitTests.Querying;

public sealed class ListQueryParserTests
{
    [TestCase(0)]
    [TestCase(101)]
    [TestCase(-5)]
    public void Parse_LimitOutOfRange_ShouldFailAtLimit(int limit)
    {
        var error = Assert.Throws<ValidationException>(() => ListQueryParser.Parse(new ListRequest(null, null, limit, null, null), FunctionQueryModel.Instance))!;
        Assert.That(error.Errors.Keys, Is.EquivalentTo(new[] { "limit" }));
    }

    [Test]
    public void Parse_AfterAndBefore_ShouldFail()
    {
        var error = Assert.Throws<ValidationException>(() => ListQueryParser.Parse(new ListRequest(null, null, 10, "a", "b"), FunctionQueryModel.Instance))!;
        Assert.That(error.Errors.Keys, Is.EquivalentTo(new[] { "before" }));
    }

    [Test]
    public void Parse_Valid_ShouldCarryEverything()
    {
        var query = ListQueryParser.Parse(new ListRequest("""{"name":"a"}""", """[{"name":"asc"}]""", 1, "", "c"), FunctionQueryModel.Instance);
        Assert.That(query.Filter, Is.InstanceOf<FieldFilter>());
        Assert.That(query.Order, Has.Count.EqualTo(2));
        Assert.That((query.Limit, query.After, query.Before), Is.EqualTo((1, (string?)null, "c")));
    }
}
