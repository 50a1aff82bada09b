using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Deployments.Queries;
using FunctionsPlatform.Application.Executions.Queries;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Application.Variables.Queries;
using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Application.UnitTests.Querying;

public sealed class AppwriteQueryParserTests
{
    private static AppwriteQuery Parse(params string[] queries) => AppwriteQueryParser.Parse(queries, FunctionQueryModel.Appwrite);

    private static FilterNode Filter(string query) => Parse(query).Filter!;

    private static string ErrorPath(AppwriteAttributes attributes, params string[] queries)
    {
        var error = Assert.Throws<ValidationException>(() => AppwriteQueryParser.Parse(queries, attributes))!;
        Assert.That(error.AppwriteType, Is.EqualTo("general_argument_invalid"));
        return error.Errors.Keys.Single();
    }

    [TestCase("""{"method":"equal","attribute":"name","values":["a"]}""", FilterOperator.Eq)]
    [TestCase("""{"method":"lessThan","attribute":"timeout","values":[5]}""", FilterOperator.Lt)]
    [TestCase("""{"method":"lessThanEqual","attribute":"timeout","values":[5]}""", FilterOperator.Lte)]
    [TestCase("""{"method":"greaterThan","attribute":"timeout","values":[5]}""", FilterOperator.Gt)]
    [TestCase("""{"method":"greaterThanEqual","attribute":"timeout","values":[5]}""", FilterOperator.Gte)]
    [TestCase("""{"method":"startsWith","attribute":"name","values":["a"]}""", FilterOperator.StartsWith)]
    [TestCase("""{"method":"endsWith","attribute":"name","values":["a"]}""", FilterOperator.EndsWith)]
    [TestCase("""{"method":"contains","attribute":"name","values":["a"]}""", FilterOperator.Contains)]
    [TestCase("""{"method":"isNull","attribute":"entrypoint"}""", FilterOperator.IsNull)]
    [TestCase("""{"method":"isNotNull","attribute":"entrypoint"}""", FilterOperator.IsNull)]
    [TestCase("""{"method":"search","attribute":"name","values":["Hello"]}""", FilterOperator.IContains)]
    public void Parse_Comparison_ShouldMapToOperator(string query, FilterOperator expected)
    {
        var node = Filter(query);
        var field = node is OrFilter or ? (FieldFilter)or.Operands[0] : (FieldFilter)node;
        Assert.That(field.Operator, Is.EqualTo(expected));
    }

    [TestCase("notEqual", FilterOperator.Eq)]
    [TestCase("notStartsWith", FilterOperator.StartsWith)]
    [TestCase("notEndsWith", FilterOperator.EndsWith)]
    [TestCase("notContains", FilterOperator.Contains)]
    public void Parse_Negated_ShouldWrapInNot(string method, FilterOperator inner)
    {
        var node = (NotFilter)Filter(Json.Fill("""{"method":"§0","attribute":"name","values":["a"]}""", method));
        Assert.That(((FieldFilter)node.Operand).Operator, Is.EqualTo(inner));
    }

    [Test]
    public void Parse_NotSearch_ShouldNegateTermMatch() =>
        Assert.That(((NotFilter)Filter("""{"method":"notSearch","attribute":"name","values":["a b"]}""")).Operand, Is.InstanceOf<OrFilter>());

    [Test]
    public void Parse_EqualWithSeveralValues_ShouldBeIn()
    {
        var node = (FieldFilter)Filter("""{"method":"equal","attribute":"runtime","values":["node-22","python-3.12"]}""");
        Assert.That((node.Operator, node.Operand), Is.EqualTo((FilterOperator.In, (object)new object[] { "node-22", "python-3.12" })));
    }

    [Test]
    public void Parse_Between_ShouldBeGteAndLte()
    {
        var node = (AndFilter)Filter("""{"method":"between","attribute":"timeout","values":[1,10]}""");
        Assert.That(node.Operands.Cast<FieldFilter>().Select(f => (f.Operator, f.Operand)), Is.EqualTo(new[] { (FilterOperator.Gte, (object?)1), (FilterOperator.Lte, 10) }));
    }

    [Test]
    public void Parse_NotBetween_ShouldBeLtOrGt()
    {
        var node = (OrFilter)Filter("""{"method":"notBetween","attribute":"timeout","values":[1,10]}""");
        Assert.That(node.Operands.Cast<FieldFilter>().Select(f => f.Operator), Is.EqualTo(new[] { FilterOperator.Lt, FilterOperator.Gt }));
    }

    [Test]
    public void Parse_Search_ShouldMatchAnyTermIgnoringCase()
    {
        var node = (OrFilter)Filter("""{"method":"search","attribute":"name","values":["Hello  World"]}""");
        Assert.That(node.Operands.Cast<FieldFilter>().Select(f => f.Operand), Is.EqualTo(new[] { "hello", "world" }));
    }

    [TestCase("createdBefore", "createdAt", FilterOperator.Lt)]
    [TestCase("createdAfter", "createdAt", FilterOperator.Gt)]
    [TestCase("updatedBefore", "updatedAt", FilterOperator.Lt)]
    [TestCase("updatedAfter", "updatedAt", FilterOperator.Gt)]
    public void Parse_TimeHelpers_ShouldCompareStamps(string method, string field, FilterOperator op)
    {
        var node = (FieldFilter)Filter(Json.Fill("""{"method":"§0","values":["2024-01-01T00:00:00.000+00:00"]}""", method));
        Assert.That((node.Field.Name, node.Operator), Is.EqualTo((field, op)));
        Assert.That(node.Operand, Is.EqualTo(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [TestCase("createdBetween", "createdAt")]
    [TestCase("updatedBetween", "updatedAt")]
    public void Parse_BetweenHelpers_ShouldBoundBothSides(string method, string field)
    {
        var node = (AndFilter)Filter(Json.Fill("""{"method":"§0","values":["2024-01-01T00:00:00.000Z","2024-02-01T00:00:00.000Z"]}""", method));
        Assert.That(node.Operands.Cast<FieldFilter>().All(f => f.Field.Name == field), Is.True);
    }

    [Test]
    public void Parse_AndOr_ShouldNestQueryObjects()
    {
        var node = (OrFilter)Filter("""{"method":"or","values":[{"method":"equal","attribute":"runtime","values":["node-22"]},{"method":"and","values":[{"method":"equal","attribute":"enabled","values":[true]},{"method":"isNull","attribute":"schedule"}]}]}""");
        Assert.That(node.Operands[1], Is.InstanceOf<AndFilter>());
    }

    [Test]
    public void Parse_SeveralFilters_ShouldBeAnded() =>
        Assert.That(((AndFilter)Parse("""{"method":"equal","attribute":"name","values":["a"]}""", """{"method":"equal","attribute":"$id","values":["b"]}""").Filter!).Operands, Has.Count.EqualTo(2));

    [Test]
    public void Parse_PageParts_ShouldBeReturnedFirstWins()
    {
        var query = Parse(
            """{"method":"limit","values":[10]}""", """{"method":"limit","values":[20]}""",
            """{"method":"offset","values":[5]}""", """{"method":"cursorAfter","values":["fun_1"]}""", """{"method":"cursorBefore","values":["fun_2"]}""");
        Assert.That((query.Limit, query.Offset, query.CursorAfter, query.CursorBefore, query.Filter), Is.EqualTo(((int?)10, (int?)5, "fun_1", (string?)null, (FilterNode?)null)));
    }

    [Test]
    public void Parse_CursorBefore_ShouldBeReturned() =>
        Assert.That(Parse("""{"method":"cursorBefore","values":["fun_2"]}""").CursorBefore, Is.EqualTo("fun_2"));

    [Test]
    public void Parse_Orders_ShouldAppendIdTieBreaker()
    {
        Assert.That(Parse().Order.Select(k => (k.Field.Name, k.Descending)), Is.EqualTo(new[] { ("createdAt", false), ("id", false) }));
        Assert.That(Parse("""{"method":"orderDesc","attribute":"$createdAt"}""").Order.Select(k => (k.Field.Name, k.Descending)), Is.EqualTo(new[] { ("createdAt", true), ("id", true) }));
        Assert.That(Parse("""{"method":"orderDesc","attribute":"timeout"}""", """{"method":"orderAsc","attribute":"name"}""").Order.Select(k => (k.Field.Name, k.Descending)),
            Is.EqualTo(new[] { ("timeout", true), ("name", false), ("id", false) }));
    }

    [Test]
    public void Parse_Select_ShouldBeAllowedOnDeploymentsOnly()
    {
        var query = AppwriteQueryParser.Parse(["""{"method":"select","values":["$id","status"]}"""], DeploymentQueryModel.Appwrite);
        Assert.That(query.Select, Is.EqualTo(new[] { "$id", "status" }));
        Assert.That(ErrorPath(FunctionQueryModel.Appwrite, """{"method":"select","values":["name"]}"""), Is.EqualTo("queries[0]"));
    }

    [Test]
    public void Parse_AllowLists_ShouldFollowEachList()
    {
        Assert.That(((FieldFilter)AppwriteQueryParser.Parse(["""{"method":"equal","attribute":"status","values":["ready"]}"""], DeploymentQueryModel.Appwrite).Filter!).Operand, Is.EqualTo(DeploymentStatus.Ready));
        Assert.That(AppwriteQueryParser.Parse(["""{"method":"greaterThan","attribute":"totalSize","values":[10]}"""], DeploymentQueryModel.Appwrite).Filter, Is.Not.Null);
        Assert.That(AppwriteQueryParser.Parse(["""{"method":"equal","attribute":"trigger","values":["http"]}"""], ExecutionQueryModel.Appwrite).Filter, Is.Not.Null);
        Assert.That(AppwriteQueryParser.Parse(["""{"method":"equal","attribute":"resourceType","values":["function"]}"""], VariableQueryModel.Appwrite).Filter, Is.Not.Null);
        Assert.That(ErrorPath(ExecutionQueryModel.Appwrite, """{"method":"equal","attribute":"logs","values":["x"]}"""), Is.EqualTo("queries[0]"));
        Assert.That(ErrorPath(FunctionQueryModel.Appwrite, """{"method":"equal","attribute":"description","values":["x"]}"""), Is.EqualTo("queries[0]"));
        Assert.That(ErrorPath(VariableQueryModel.Appwrite, """{"method":"equal","attribute":"value","values":["x"]}"""), Is.EqualTo("queries[0]"));
    }

    [TestCase("""not json""")]
    [TestCase("""[]""")]
    [TestCase("""{"attribute":"name"}""")]
    [TestCase("""{"method":"regex","attribute":"name","values":["a"]}""")]
    [TestCase("""{"method":"orderRandom"}""")]
    [TestCase("""{"method":"equal","attribute":"nope","values":["a"]}""")]
    [TestCase("""{"method":"equal","attribute":"name","values":[]}""")]
    [TestCase("""{"method":"equal","attribute":"name","values":"a"}""")]
    [TestCase("""{"method":"equal","attribute":"timeout","values":["a"]}""")]
    [TestCase("""{"method":"lessThan","attribute":"timeout","values":[1,2]}""")]
    [TestCase("""{"method":"between","attribute":"timeout","values":[1]}""")]
    [TestCase("""{"method":"greaterThan","attribute":"enabled","values":[true]}""")]
    [TestCase("""{"method":"contains","attribute":"timeout","values":[1]}""")]
    [TestCase("""{"method":"limit","values":[0]}""")]
    [TestCase("""{"method":"limit","values":["5"]}""")]
    [TestCase("""{"method":"offset","values":[-1]}""")]
    [TestCase("""{"method":"cursorAfter","values":[""]}""")]
    [TestCase("""{"method":"orderAsc","attribute":"nope"}""")]
    [TestCase("""{"method":"or","values":[]}""")]
    [TestCase("""{"method":"createdBefore","values":["soon"]}""")]
    public void Parse_BadQuery_ShouldFailAtItsIndex(string query) =>
        Assert.That(ErrorPath(FunctionQueryModel.Appwrite, """{"method":"limit","values":[1]}""", query), Does.StartWith("queries[1]"));

    [Test]
    public void Parse_NestedError_ShouldNameNestedPath() =>
        Assert.That(ErrorPath(FunctionQueryModel.Appwrite, """{"method":"and","values":[{"method":"equal","attribute":"name","values":["a"]},{"method":"equal","attribute":"timeout","values":["x"]}]}"""),
            Is.EqualTo("queries[0].values[1].values[0]"));

    [Test]
    public void Parse_TooManyOrTooLong_ShouldFail()
    {
        Assert.That(ErrorPath(FunctionQueryModel.Appwrite, [.. Enumerable.Repeat("""{"method":"limit","values":[1]}""", 101)]), Is.EqualTo("queries"));
        Assert.That(ErrorPath(FunctionQueryModel.Appwrite, Json.Fill("""{"method":"equal","attribute":"name","values":["§0"]}""", new string('a', 4100))), Is.EqualTo("queries[0]"));
    }
}
