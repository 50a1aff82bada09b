using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Deployments.Queries;
using FunctionsPlatform.Application.Executions.Queries;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Querying;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>
/// Building a list query from either language: every rule fails here, before a handler touches the database, with the
/// /api messages and keys the request validators use, and Appwrite's paging and total choices come out typed.
/// </summary>
public sealed class ListQueryBuilderTests
{
    private static readonly CursorCodec Cursors = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly ListQueryBuilder Lists = new(Cursors);

    private static ValidationException ApiError(ListRequest request) =>
        Assert.Throws<ValidationException>(() => Lists.FromApi(FunctionQueryModel.Instance, request))!;

    [TestCase(0)]
    [TestCase(101)]
    [TestCase(-5)]
    public void FromApi_LimitOutOfRange_FailsAtLimitWithTheValidatorsMessage(int limit) =>
        Assert.That(ApiError(new ListRequest(null, null, limit, null, null)).Errors["limit"], Is.EqualTo(new[] { "'limit' must be between 1 and 100." }));

    [Test]
    public void FromApi_AfterAndBefore_FailsAtAfter() =>
        Assert.That(ApiError(new ListRequest(null, null, 10, "a", "b")).Errors["after"], Is.EqualTo(new[] { "'after' and 'before' cannot be used together." }));

    [Test]
    public void FromApi_OverlongFilterAndOrder_FailTogether() =>
        Assert.That(ApiError(new ListRequest(new string(' ', 16385), new string(' ', 4097), 10, null, null)).Errors.Keys, Is.EquivalentTo(new[] { "filter", "orderBy" }));

    [Test]
    public void FromApi_BadFilter_FailsAtItsPath() =>
        Assert.That(ApiError(new ListRequest("""{"OR":[{"nope":1}]}""", null, 10, null, null)).Errors.Keys, Is.EquivalentTo(new[] { "filter.OR[0].nope" }));

    [Test]
    public void FromApi_Defaults_AreFirstKeysetPageCappedTotalAndNewestFirst()
    {
        var list = Lists.FromApi(FunctionQueryModel.Instance, new ListRequest(null, null, 10, "", null));

        Assert.That(list.Paging, Is.SameAs(KeysetPaging.First), "an empty cursor parameter is no cursor");
        Assert.That(list.Total, Is.EqualTo(new CountUpTo(null)));
        Assert.That(list.Order.Select(k => (k.Field.Name, k.Descending)), Is.EqualTo(new[] { ("createdAt", true), ("id", true) }));
        Assert.That(list.Scope, Is.Empty);
        Assert.That(Lists.FromApi(FunctionQueryModel.Instance, new ListRequest(null, null, 10, null, null, TotalMode.Exact)).Total, Is.InstanceOf<CountAll>());
    }

    [TestCase(true)]
    [TestCase(false)]
    public void FromApi_SignedCursor_IsDecodedIntoTheBoundary(bool after)
    {
        var model = FunctionQueryModel.Instance;
        var order = OrderByJsonParser.Parse("""[{"name":"asc"}]""", model);
        var cursor = Cursors.Encode(model, order, ["b", "fun_2"]);

        var list = Lists.FromApi(model, new ListRequest(null, """[{"name":"asc"}]""", 10, after ? cursor : null, after ? null : cursor));

        Assert.That(list.Paging, Is.EqualTo(new KeysetPaging(["b", "fun_2"], after)).Using<ListPaging>(SamePaging));
    }

    [Test]
    public void FromApi_CursorOfAnotherOrder_FailsAtBefore()
    {
        var model = FunctionQueryModel.Instance;
        var cursor = Cursors.Encode(model, OrderByJsonParser.Parse(null, model), [DateTimeOffset.UnixEpoch, "fun_1"]);

        Assert.That(ApiError(new ListRequest(null, """[{"name":"asc"}]""", 10, null, cursor)).Errors.Keys, Is.EquivalentTo(new[] { "before" }));
    }

    [Test]
    public void FromAppwrite_NoQueries_IsAppwritesFirstPage()
    {
        var list = Lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, null);

        Assert.That((list.Limit, list.Paging, list.Total), Is.EqualTo((25, (ListPaging)new OffsetPaging(0), (ListTotal)new CountUpTo(5000))));
        Assert.That(list.Order.Select(k => (k.Field.Name, k.Descending)), Is.EqualTo(new[] { ("createdAt", false), ("id", false) }));
        Assert.That(list.Filter, Is.Null);
    }

    [Test]
    public void FromAppwrite_OffsetBeyondAppwritesTemplatesBound_IsAccepted() =>
        Assert.That(Lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, ["""{"method":"offset","values":[10000]}"""]).Paging, Is.EqualTo(new OffsetPaging(10000)));

    [Test]
    public void FromAppwrite_OffsetAboveTheBound_FailsAtItsQuery()
    {
        var error = Assert.Throws<ValidationException>(() =>
            Lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, [Limit(5), """{"method":"offset","values":[1000001]}"""]))!;

        Assert.That(error.Errors.Keys, Is.EquivalentTo(new[] { "queries[1]" }));
        Assert.That(error.AppwriteType, Is.EqualTo("general_argument_invalid"));
    }

    [TestCase("cursorAfter", true)]
    [TestCase("cursorBefore", false)]
    public void FromAppwrite_Cursor_IsARowCursorWithTheOffsetAfterIt(string method, bool forward)
    {
        var list = Lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite,
            [$$"""{"method":"{{method}}","values":["exe_1"]}""", """{"method":"offset","values":[7]}""", Limit(5000)]);

        Assert.That((list.Paging, list.Limit), Is.EqualTo(((ListPaging)new RowCursorPaging("exe_1", forward, 7), 5000)));
    }

    [Test]
    public void FromAppwrite_TotalFalse_IsNotCounted() =>
        Assert.That(Lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, [], total: false).Total, Is.EqualTo(ListTotal.Skipped));

    [Test]
    public void FromAppwrite_Select_IsCarriedWhereAllowedAndRefusedElsewhere()
    {
        var deployments = Lists.FromAppwrite<Deployment>(DeploymentQueryModel.Appwrite, ["""{"method":"select","values":["$id","status"]}"""]);
        Assert.That(deployments.Select, Is.EqualTo(new[] { "$id", "status" }));

        Assert.Throws<ValidationException>(() => Lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, ["""{"method":"select","values":["$id"]}"""]));
    }

    [TestCase("""{"method":"equal","attribute":"logs","values":["x"]}""")]
    [TestCase("""{"method":"orderRandom"}""")]
    [TestCase("not json")]
    public void FromAppwrite_UnknownAttributeOrMethod_IsArgumentInvalid(string query)
    {
        var error = Assert.Throws<ValidationException>(() => Lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, [Limit(5), query]))!;

        Assert.That((error.Errors.Keys.Single(), error.AppwriteType), Is.EqualTo(("queries[1]", "general_argument_invalid")));
    }

    [Test]
    public void FromAppwrite_AttributesOfAnotherEntity_AreAProgrammingError() =>
        Assert.Throws<ArgumentException>(() => Lists.FromAppwrite<Function>(ExecutionQueryModel.Appwrite, []));

    [Test]
    public void Within_SetsTheScopeAndKnownTotalReplacesCounting()
    {
        var scope = new Specification<Function>();
        var list = Lists.FromApi(FunctionQueryModel.Instance, new ListRequest(null, null, 10, null, null)).Within(scope).WithKnownTotal(42);

        Assert.That(list.Scope, Is.EqualTo(new[] { scope }));
        Assert.That(list.Total, Is.EqualTo(new KnownTotal(42)));
    }

    private static string Limit(int limit) => $$"""{"method":"limit","values":[{{limit}}]}""";

    private static bool SamePaging(ListPaging x, ListPaging y) =>
        x is KeysetPaging a && y is KeysetPaging b && a.Forward == b.Forward && (a.Boundary ?? []).SequenceEqual(b.Boundary ?? []);
}
