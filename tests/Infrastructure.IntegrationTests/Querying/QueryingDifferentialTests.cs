using System.Linq.Expressions;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Infrastructure.Querying;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>
/// Random filters and orders over a seeded SQLite file: every page the runner returns, walking forward with
/// <c>after</c> and back with <c>before</c>, equals the in-memory oracle's slice, and the page flags are exact.
/// </summary>
[TestFixture]
public sealed class QueryingDifferentialTests
{
    private const int Queries = 150;
    private string _path = "";
    private QueryingDataSet _data = null!;
    private InMemoryReference _reference = null!;
    private readonly CursorCodec _cursors = new(new byte[32]);
    private ListQueryBuilder Lists => new(_cursors);

    /// <summary>Small enough that the random filters cross it both ways.</summary>
    private static readonly ListTotalOptions Totals = new(Cap: 45);

    [OneTimeSetUp]
    public void Seed()
    {
        _path = Path.Combine(Path.GetTempPath(), $"querying-diff-{Guid.NewGuid():N}.db");
        _data = QueryingDataSet.Create(seed: 20261123, functions: 260);
        _reference = new InMemoryReference(_data);
        using var db = TestDatabases.Sqlite(_path);
        db.Database.Migrate();
        db.AddRange(_data.Functions);
        db.AddRange(_data.Versions);
        db.AddRange(_data.Deployments);
        db.AddRange(_data.Executions);
        db.AddRange(_data.Variables);
        db.SaveChanges();
    }

    [OneTimeTearDown]
    public void Delete()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Test]
    public Task Functions_RandomFiltersAndOrders_MatchInMemoryPageByPage() =>
        Run(_data.Functions, seed: 1, f => f.WorkspaceId == "ws_a");

    [Test]
    public Task FunctionVersions_RandomFiltersAndOrders_MatchInMemoryPageByPage() =>
        Run(_data.Versions, seed: 2, v => v.DeletedAt == null);

    [Test]
    public Task Executions_RandomFiltersAndOrders_MatchInMemoryPageByPage() =>
        Run(_data.Executions, seed: 3, _ => true);

    [Test]
    public Task Deployments_RandomFiltersAndOrders_MatchInMemoryPageByPage() =>
        Run(_data.Deployments, seed: 4, _ => true);

    [TestCase("{\"name\":{\"icontains\":\"ärger\"}}")]
    [TestCase("{\"name\":{\"icontains\":\"STRASSE\"}}")]
    [TestCase("{\"name\":{\"icontains\":\"ωMEGA\"}}")]
    [TestCase("{\"name\":{\"contains\":\"%\"}}")]
    [TestCase("{\"name\":{\"contains\":\"_\"}}")]
    [TestCase("{\"name\":{\"startsWith\":\"[\"}}")]
    [TestCase("{\"name\":{\"endsWith\":\"_c[d]\"}}")]
    [TestCase("{\"name\":{\"startsWith\":\"alpha\"}}")]
    [TestCase("{\"name\":{\"contains\":\"'; DROP TABLE Functions; --\"}}")]
    [TestCase("{\"name\":{\"gt\":\"zeta\"}}")]
    [TestCase("{\"description\":{\"neq\":\"alpha\"}}")]
    [TestCase("{\"NOT\":{\"description\":{\"gt\":\"beta\"}}}")]
    [TestCase("{\"description\":{\"nin\":[\"alpha\",\"beta\"]}}")]
    [TestCase("{\"versions\":{\"every\":{\"inputSchemaId\":{\"isNull\":false}}}}")]
    [TestCase("{\"defaultVersion\":{\"name\":{\"icontains\":\"a\"}}}")]
    [TestCase("{\"NOT\":{\"defaultVersion\":{\"name\":\"alpha\"}}}")]
    [TestCase("{\"executions\":{\"some\":{\"status\":{\"in\":[\"completed\",\"failed\"]}},\"none\":{\"trigger\":\"http\"}}}")]
    [TestCase("{\"source\":{\"nin\":[\"openapi-op\"]},\"enabled\":true,\"timeout\":{\"gte\":200}}")]
    public Task Functions_EdgeCaseFilter_MatchesInMemory(string filter) =>
        Compare(_data.Functions, _ => true, filter, null, limit: 100);

    [Test]
    public async Task Cursor_FromAnotherOrder_IsRejectedAtAfter()
    {
        await using var db = TestDatabases.Sqlite(_path);
        var runner = new EfListQueryRunner(db, _cursors, Totals);
        var page = await runner.RunAsync(Lists.FromApi(FunctionQueryModel.Instance, new ListRequest(null, "[{\"name\":\"asc\"}]", 5, null, null)).Within(new Specification<Function>()));
        var error = Assert.Throws<Application.Common.Errors.ValidationException>(() =>
            Lists.FromApi(FunctionQueryModel.Instance, new ListRequest(null, "[{\"name\":\"desc\"}]", 5, page.PageInfo.EndCursor, null)));
        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "after" }));
    }

    [Test]
    public async Task Cursor_Tampered_IsRejected()
    {
        await using var db = TestDatabases.Sqlite(_path);
        var runner = new EfListQueryRunner(db, _cursors, Totals);
        var page = await runner.RunAsync(Lists.FromApi(FunctionQueryModel.Instance, new ListRequest(null, null, 5, null, null)).Within(new Specification<Function>()));
        var cursor = page.PageInfo.EndCursor!;
        var forged = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];
        var error = Assert.Throws<Application.Common.Errors.ValidationException>(() =>
            Lists.FromApi(FunctionQueryModel.Instance, new ListRequest(null, null, 5, null, forged)));
        Assert.That(error!.Errors.Keys, Is.EquivalentTo(new[] { "before" }));
        var foreign = new ListQueryBuilder(new CursorCodec(Enumerable.Repeat((byte)7, 32).ToArray()));
        Assert.Throws<Application.Common.Errors.ValidationException>(() =>
            foreign.FromApi(FunctionQueryModel.Instance, new ListRequest(null, null, 5, cursor, null)));
    }

    [Test]
    public Task Functions_WithSoftDeleteFilters_MatchInMemoryWithoutDeletedRows() =>
        Run(_data.Functions, seed: 5, f => f.DeletedAt == null, ignoreQueryFilters: false);

    private async Task Run<T>(List<T> rows, int seed, Expression<Func<T, bool>> scope, bool ignoreQueryFilters = true) where T : AuditableEntity
    {
        var random = new Random(seed);
        var model = TestQueryModels.For<T>();
        var generator = new RandomQueryGenerator(random, Samples);
        for (var i = 0; i < Queries; i++)
        {
            var filter = generator.Filter(model);
            var orderBy = generator.OrderBy(model);
            await Compare(rows, scope, filter, orderBy, limit: random.Next(1, 40), ignoreQueryFilters);
        }
    }

    private async Task Compare<T>(List<T> rows, Expression<Func<T, bool>> scope, string? filter, string? orderBy, int limit, bool ignoreQueryFilters = true)
        where T : AuditableEntity
    {
        var expected = _reference.Select(rows, scope.Compile(), filter, orderBy, withoutDeleted: !ignoreQueryFilters).Select(r => r.Id).ToList();
        var spec = new Specification<T>();
        spec.Query.Where(scope);
        if (ignoreQueryFilters)
        {
            spec.Query.IgnoreQueryFilters();
        }

        var context = $"filter={filter} orderBy={orderBy} limit={limit}";
        var model = TestQueryModels.For<T>();
        ListQuery<T> List(ListRequest request) => Lists.FromApi(model, request).Within(spec);

        await using var db = TestDatabases.Sqlite(_path);
        var runner = new EfListQueryRunner(db, _cursors, Totals);
        var offset = 0;
        string? after = null;
        string? lastStart = null;
        while (true)
        {
            var page = await runner.RunAsync(List(new ListRequest(filter, orderBy, limit, after, null)));
            var ids = page.Items.Select(r => r.Id).ToList();
            Assert.That(ids, Is.EqualTo(expected.Skip(offset).Take(limit).ToList()), $"forward page at {offset}: {context}");
            var exact = expected.Count <= Totals.Cap || (offset == 0 && expected.Count <= limit);
            Assert.That(page.PageInfo.Total, Is.EqualTo(exact ? expected.Count : Totals.Cap), $"capped total: {context}");
            Assert.That(page.PageInfo.TotalExact, Is.EqualTo(exact), $"totalExact: {context}");
            Assert.That(page.PageInfo.HasPreviousPage, Is.EqualTo(offset > 0), $"hasPreviousPage at {offset}: {context}");
            Assert.That(page.PageInfo.HasNextPage, Is.EqualTo(offset + limit < expected.Count), $"hasNextPage at {offset}: {context}");
            if (ids.Count > 0)
            {
                lastStart = page.PageInfo.StartCursor;
            }

            if (!page.PageInfo.HasNextPage)
            {
                break;
            }

            offset += limit;
            after = page.PageInfo.EndCursor;
        }

        // total=exact counts the whole set (relations as key sets rather than the pages' correlated probes).
        var counted = await runner.RunAsync(List(new ListRequest(filter, orderBy, limit, null, null, TotalMode.Exact)));
        Assert.That((counted.PageInfo.Total, counted.PageInfo.TotalExact), Is.EqualTo(((long)expected.Count, true)), $"exact total: {context}");

        // Back from the last page to the first with before-cursors.
        var end = expected.Count - ((expected.Count - 1) % limit) - 1;
        var before = lastStart;
        while (before is not null && end > 0)
        {
            var page = await runner.RunAsync(List(new ListRequest(filter, orderBy, limit, null, before)));
            var start = Math.Max(0, end - limit);
            Assert.That(page.Items.Select(r => r.Id).ToList(), Is.EqualTo(expected.Skip(start).Take(end - start).ToList()), $"backward page at {start}: {context}");
            Assert.That(page.PageInfo.HasPreviousPage, Is.EqualTo(start > 0), $"hasPreviousPage back at {start}: {context}");
            Assert.That(page.PageInfo.HasNextPage, Is.True, $"hasNextPage back at {start}: {context}");
            end = start;
            before = page.PageInfo.StartCursor;
        }
    }

    private IReadOnlyList<object?> Samples(QueryField field)
    {
        var rows = (System.Collections.IEnumerable)_data.ByType[field.Selector.Parameters[0].Type];
        var getter = EfListQueryRunner.Getter(field);
        return [.. rows.Cast<object>().Take(200).Select(getter).Distinct()];
    }
}
