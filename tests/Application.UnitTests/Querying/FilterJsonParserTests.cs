using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Application.FunctionVersions.Queries;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.UnitTests.Querying;

public sealed class FilterJsonParserTests
{
    private static readonly QueryModel<Domain.Functions.Function> Functions = FunctionQueryModel.Instance;

    private static FilterNode Parse(string json) => FilterJsonParser.Parse(json, Functions)!;

    private static string ErrorPath(string json, IQueryModel? model = null)
    {
        var error = Assert.Throws<ValidationException>(() => FilterJsonParser.Parse(json, model ?? Functions))!;
        Assert.That(error.Errors, Has.Count.EqualTo(1));
        return error.Errors.Keys.Single();
    }

    [TestCase("eq", FilterOperator.Eq)]
    [TestCase("neq", FilterOperator.Neq)]
    [TestCase("gt", FilterOperator.Gt)]
    [TestCase("gte", FilterOperator.Gte)]
    [TestCase("lt", FilterOperator.Lt)]
    [TestCase("lte", FilterOperator.Lte)]
    [TestCase("contains", FilterOperator.Contains)]
    [TestCase("startsWith", FilterOperator.StartsWith)]
    [TestCase("endsWith", FilterOperator.EndsWith)]
    public void Parse_StringOperator_ShouldKeepOperandAsData(string op, FilterOperator expected)
    {
        var node = (FieldFilter)Parse(Json.Fill("""{"name":{"§0":"'; DROP TABLE functions; -- %_["}}""", op));
        Assert.That(node.Field.Name, Is.EqualTo("name"));
        Assert.That(node.Operator, Is.EqualTo(expected));
        Assert.That(node.Operand, Is.EqualTo("'; DROP TABLE functions; -- %_["));
    }

    [Test]
    public void Parse_IContains_ShouldLowerCaseOperandInvariantly()
    {
        var node = (FieldFilter)Parse("""{"name":{"icontains":"ÄRGER Straße"}}""");
        Assert.That(node.Operator, Is.EqualTo(FilterOperator.IContains));
        Assert.That(node.Operand, Is.EqualTo("ärger straße"));
    }

    [TestCase("in", FilterOperator.In)]
    [TestCase("nin", FilterOperator.Nin)]
    public void Parse_ListOperator_ShouldConvertEachValue(string op, FilterOperator expected)
    {
        var node = (FieldFilter)Parse(Json.Fill("""{"timeout":{"§0":[1,2,3]}}""", op));
        Assert.That(node.Operator, Is.EqualTo(expected));
        Assert.That(node.Operand, Is.EqualTo(new object[] { 1, 2, 3 }));
    }

    [TestCase("true", true)]
    [TestCase("false", false)]
    public void Parse_IsNull_ShouldTakeBoolean(string value, bool expected)
    {
        var node = (FieldFilter)Parse(Json.Fill("""{"description":{"isNull":§0}}""", value));
        Assert.That((node.Operator, node.Operand), Is.EqualTo((FilterOperator.IsNull, (object)expected)));
    }

    [Test]
    public void Parse_BareScalar_ShouldMeanEq()
    {
        var node = (FieldFilter)Parse("""{"enabled":true}""");
        Assert.That((node.Operator, node.Operand), Is.EqualTo((FilterOperator.Eq, (object)true)));
    }

    [Test]
    public void Parse_BareNullAndEqNull_ShouldMeanIsNull()
    {
        Assert.That(((FieldFilter)Parse("""{"description":null}""")).Operator, Is.EqualTo(FilterOperator.IsNull));
        var neq = (FieldFilter)Parse("""{"description":{"neq":null}}""");
        Assert.That((neq.Operator, neq.Operand), Is.EqualTo((FilterOperator.IsNull, (object)false)));
    }

    [Test]
    public void Parse_Date_ShouldNormaliseToUtc()
    {
        var node = (FieldFilter)Parse("""{"createdAt":{"gte":"2026-11-23T12:00:00.123+02:00"}}""");
        Assert.That(node.Operand, Is.EqualTo(new DateTimeOffset(2026, 11, 23, 10, 0, 0, 123, TimeSpan.Zero)));
        Assert.That(((DateTimeOffset)node.Operand!).Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Parse_EnumWireName_ShouldMapToEnumValue()
    {
        var node = (FieldFilter)Parse("""{"source":{"in":["openapi-op","system"]}}""");
        Assert.That(node.Operand, Is.EqualTo(new object[] { FunctionSource.OpenapiOp, FunctionSource.System }));
    }

    [TestCase("AND")]
    [TestCase("and")]
    public void Parse_And_ShouldAcceptBothCases(string key)
    {
        var node = (AndFilter)Parse(Json.Fill("""{"§0":[{"name":"a"},{"timeout":{"gt":3}}]}""", key));
        Assert.That(node.Operands, Has.Count.EqualTo(2));
    }

    [TestCase("OR")]
    [TestCase("or")]
    public void Parse_Or_ShouldAcceptBothCases(string key) =>
        Assert.That(((OrFilter)Parse(Json.Fill("""{"§0":[{"name":"a"},{"name":"b"}]}""", key))).Operands, Has.Count.EqualTo(2));

    [TestCase("NOT")]
    [TestCase("not")]
    public void Parse_Not_ShouldAcceptBothCases(string key) =>
        Assert.That(((NotFilter)Parse(Json.Fill("""{"§0":{"name":"a"}}""", key))).Operand, Is.InstanceOf<FieldFilter>());

    [Test]
    public void Parse_SeveralKeys_ShouldBeAnded() =>
        Assert.That(((AndFilter)Parse("""{"name":"a","enabled":true,"timeout":{"gt":1,"lt":9}}""")).Operands, Has.Count.EqualTo(3));

    [TestCase("some", RelationQuantifier.Some)]
    [TestCase("every", RelationQuantifier.Every)]
    [TestCase("none", RelationQuantifier.None)]
    public void Parse_ToManyRelation_ShouldTakeQuantifier(string quantifier, RelationQuantifier expected)
    {
        var node = (RelationFilter)Parse(Json.Fill("""{"versions":{"§0":{"name":{"startsWith":"v"}}}}""", quantifier));
        Assert.That(node.Relation.Name, Is.EqualTo("versions"));
        Assert.That(node.Quantifier, Is.EqualTo(expected));
        Assert.That(((FieldFilter)node.Condition).Field, Is.SameAs(FunctionVersionQueryModel.Instance.Fields["name"]));
    }

    [TestCase("deployments")]
    [TestCase("executions")]
    public void Parse_OtherToManyRelations_ShouldResolve(string relation) =>
        Assert.That(((RelationFilter)Parse(Json.Fill("""{"§0":{"some":{"id":"x"}}}""", relation))).Relation.ToMany, Is.True);

    [Test]
    public void Parse_ToOneRelations_ShouldTraverse()
    {
        var defaultVersion = (RelationFilter)Parse("""{"defaultVersion":{"name":"v1"}}""");
        Assert.That((defaultVersion.Relation.ToMany, defaultVersion.Quantifier), Is.EqualTo((false, RelationQuantifier.Some)));
        var function = (RelationFilter)FilterJsonParser.Parse("""{"function":{"name":"f"}}""", FunctionVersionQueryModel.Instance)!;
        Assert.That(((FieldFilter)function.Condition).Field, Is.SameAs(Functions.Fields["name"]));
        var parent = (RelationFilter)FilterJsonParser.Parse("""{"parent":{"parent":{"name":"root"}}}""", FunctionVersionQueryModel.Instance)!;
        Assert.That(parent.Condition, Is.InstanceOf<RelationFilter>());
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void Parse_NoFilter_ShouldBeNull(string? json) => Assert.That(FilterJsonParser.Parse(json, Functions), Is.Null);

    [TestCase("""{"nope":1}""", "filter.nope")]
    [TestCase("""{"OR":[{"name":"a"},{"name":"b"},{"name":{"icontains":5}}]}""", "filter.OR[2].name.icontains")]
    [TestCase("""{"name":{"like":"a"}}""", "filter.name.like")]
    [TestCase("""{"enabled":{"gt":true}}""", "filter.enabled.gt")]
    [TestCase("""{"timeout":{"contains":"1"}}""", "filter.timeout.contains")]
    [TestCase("""{"source":{"gt":"custom"}}""", "filter.source.gt")]
    [TestCase("""{"timeout":{"eq":"3"}}""", "filter.timeout.eq")]
    [TestCase("""{"timeout":{"eq":1.5}}""", "filter.timeout.eq")]
    [TestCase("""{"createdAt":{"lt":"yesterday"}}""", "filter.createdAt.lt")]
    [TestCase("""{"createdAt":{"lt":12}}""", "filter.createdAt.lt")]
    [TestCase("""{"enabled":"true"}""", "filter.enabled.eq")]
    [TestCase("""{"source":"lambda"}""", "filter.source.eq")]
    [TestCase("""{"name":{"in":"a"}}""", "filter.name.in")]
    [TestCase("""{"name":{"in":["a",2]}}""", "filter.name.in[1]")]
    [TestCase("""{"name":{"isNull":"yes"}}""", "filter.name.isNull")]
    [TestCase("""{"name":{}}""", "filter.name")]
    [TestCase("""{"AND":{"name":"a"}}""", "filter.AND")]
    [TestCase("""{"NOT":[{"name":"a"}]}""", "filter.NOT")]
    [TestCase("""{"versions":{"any":{"name":"a"}}}""", "filter.versions.any")]
    [TestCase("""{"versions":{"name":"a"}}""", "filter.versions.name")]
    [TestCase("""{"versions":"a"}""", "filter.versions")]
    [TestCase("""{"versions":{"some":{"runtime":"node"}}}""", "filter.versions.some.runtime")]
    [TestCase("""{"Name":"a"}""", "filter.Name")]
    [TestCase("""["name"]""", "filter")]
    [TestCase("""{"name":""", "filter")]
    [TestCase("""not json""", "filter")]
    public void Parse_BadInput_ShouldNameThePath(string json, string path) => Assert.That(ErrorPath(json), Is.EqualTo(path));

    [Test]
    public void Parse_NineLevels_ShouldFail()
    {
        var json = """{"name":"a"}""";
        for (var i = 0; i < 8; i++)
        {
            json = Json.Fill("""{"NOT":§0}""", json);
        }

        Assert.That(ErrorPath(json), Does.StartWith("filter.NOT.NOT.NOT.NOT.NOT.NOT.NOT.NOT"));
        Assert.That(FilterJsonParser.Parse(json[7..^1], Functions), Is.InstanceOf<NotFilter>(), "eight levels are fine");
    }

    [Test]
    public void Parse_MoreThanHundredNodes_ShouldFail()
    {
        var items = string.Join(",", Enumerable.Range(0, 100).Select(i => Json.Fill("""{"name":"n§0"}""", i)));
        Assert.That(ErrorPath(Json.Fill("""{"OR":[§0]}""", items)), Does.StartWith("filter.OR["));
        var fewer = string.Join(",", Enumerable.Range(0, 99).Select(i => Json.Fill("""{"name":"n§0"}""", i)));
        Assert.That(((OrFilter)Parse(Json.Fill("""{"OR":[§0]}""", fewer))).Operands, Has.Count.EqualTo(99));
    }

    [Test]
    public void Parse_MoreThanHundredValues_ShouldFail()
    {
        var values = string.Join(",", Enumerable.Range(0, 101));
        Assert.That(ErrorPath(Json.Fill("""{"timeout":{"in":[§0]}}""", values)), Is.EqualTo("filter.timeout.in"));
    }

    [Test]
    public void Parse_OperandOver1024Characters_ShouldFail()
    {
        Assert.That(ErrorPath(Json.Fill("""{"name":{"contains":"§0"}}""", new string('x', 1025))), Is.EqualTo("filter.name.contains"));
        Assert.That(((FieldFilter)Parse(Json.Fill("""{"name":{"contains":"§0"}}""", new string('x', 1024)))).Operand, Has.Length.EqualTo(1024));
    }

    [Test]
    public void Parse_UnicodeAndEscapes_ShouldStayData()
    {
        var node = (FieldFilter)Parse("""{"name":{"eq":"😀 \u0000 \" \\ ]"}}""");
        Assert.That(node.Operand, Is.EqualTo("😀 \0 \" \\ ]"));
    }
}
