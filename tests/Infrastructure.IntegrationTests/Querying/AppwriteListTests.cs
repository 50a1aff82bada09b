using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.Executions.Queries;
using FunctionsPlatform.Application.Executions.Queries.ListExecutions;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Infrastructure.Querying;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>
/// Appwrite <c>queries[]</c> through the same builder and runner as /api: offset and row-cursor pages of one function's
/// executions equal the in-memory oracle's slices, <c>total</c> stops at Appwrite's 5,000, a cursor outside the list
/// is <c>general_cursor_not_found</c>, and an offset page walks the index in order (no sort).
/// </summary>
[TestFixture]
public sealed class AppwriteListTests
{
    /// <summary>More than Appwrite's total cap, so the cap is crossed.</summary>
    private const int Executions = 5050;

    private const string FunctionId = "fun_appwrite_a";
    private const string OtherFunctionId = "fun_appwrite_b";

    private string _path = "";
    private readonly QueryingDataSet _data = new();
    private InMemoryReference _reference = null!;
    private readonly ListQueryBuilder _lists = new(new CursorCodec(new byte[32]));

    [OneTimeSetUp]
    public void Seed()
    {
        _path = Path.Combine(Path.GetTempPath(), $"appwrite-lists-{Guid.NewGuid():N}.db");
        var epoch = QueryingDataSet.Epoch;
        _data.Functions.Add(Domain.Functions.Function.Create(FunctionId, "ws_a", "a", "node-22", epoch));
        _data.Functions.Add(Domain.Functions.Function.Create(OtherFunctionId, "ws_a", "b", "node-22", epoch));
        var random = new Random(20261201);
        for (var i = 0; i < Executions + 40; i++)
        {
            // Three rows per instant, ids out of insertion order: the id tie-breaker decides within an instant.
            var execution = Execution.Create($"exe_{i * 7919 % 10007:D5}", i < Executions ? FunctionId : OtherFunctionId, "ws_a",
                (ExecutionTrigger)random.Next(3), random.Next(2) == 0 ? "GET" : "POST", random.Next(2) == 0 ? "/" : "/run",
                i % 5 == 0 ? [new HeaderPair("x-n", $"{i}")] : [], null, epoch.AddSeconds(i / 3), createdBy: i % 4 == 0 ? "usr_1" : null);
            if (random.Next(3) != 0)
            {
                execution.Conclude(new RunOutcome(true, random.Next(2) == 0 ? 200 : 500, i % 2 == 0 ? "{}" : null, i % 3 == 0 ? [new HeaderPair("x-r", "é")] : [],
                    $"log {i}", i % 7 == 0 ? "oops" : "", random.Next(50) / 10.0, ColdStart: i % 6 == 0, InitSeconds: i % 6 == 0 ? 0.0125 : 0), epoch.AddSeconds(i / 3));
            }

            _data.Executions.Add(execution);
        }

        _reference = new InMemoryReference(_data);
        using var db = TestDatabases.Sqlite(_path);
        db.Database.Migrate();
        db.AddRange(_data.Functions);
        db.AddRange(_data.Executions);
        db.SaveChanges();
    }

    [OneTimeTearDown]
    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    private static readonly string[][] QuerySets =
    [
        [],
        ["""{"method":"orderDesc","attribute":"$createdAt"}"""],
        ["""{"method":"equal","attribute":"status","values":["completed"]}""", """{"method":"orderAsc","attribute":"duration"}"""],
        ["""{"method":"or","values":[{"method":"equal","attribute":"responseStatusCode","values":[500]},{"method":"equal","attribute":"trigger","values":["schedule"]}]}""",
            """{"method":"orderDesc","attribute":"requestMethod"}"""],
        ["""{"method":"greaterThan","attribute":"duration","values":[4.5]}"""],
    ];

    public static IEnumerable<TestCaseData> OffsetCases() =>
        from set in Enumerable.Range(0, QuerySets.Length)
        from offset in new[] { 0, 1, 24, 1000, 4990, 6000 }
        from limit in new[] { 1, 25, 100 }
        select new TestCaseData(set, offset, limit);

    [TestCaseSource(nameof(OffsetCases))]
    public async Task OffsetPage_MatchesOracleSlice(int set, int offset, int limit)
    {
        string[] queries = [.. QuerySets[set], Limit(limit), $$"""{"method":"offset","values":[{{offset}}]}"""];
        var (page, expected) = await RunAsync(queries);

        var context = $"{string.Join(" ", queries)}";
        Assert.That(Ids(page), Is.EqualTo(expected.Skip(offset).Take(limit).Select(e => e.Id).ToList()), context);
        Assert.That(page.PageInfo.HasNextPage, Is.EqualTo(offset + limit < expected.Count), context);
        Assert.That(page.PageInfo.HasPreviousPage, Is.EqualTo(offset > 0 && expected.Count > 0), context);
        Assert.That((page.PageInfo.Total, page.PageInfo.TotalExact), Is.EqualTo((Math.Min(expected.Count, 5000L), expected.Count <= 5000)), context);
        Assert.That(page.PageInfo.EndCursor, Is.Null, "Appwrite pages by row id, not by keyset cursor");
    }

    public static IEnumerable<TestCaseData> CursorCases() =>
        from set in Enumerable.Range(0, QuerySets.Length)
        from position in new[] { 0, 7, 2500, 5049 }
        from forward in new[] { true, false }
        from offset in new[] { 0, 3 }
        select new TestCaseData(set, position, forward, offset);

    /// <summary>The cursor row is taken from the unfiltered list, so it is often a row the filter leaves out: still a valid boundary.</summary>
    [TestCaseSource(nameof(CursorCases))]
    public async Task CursorPage_MatchesOracleSlice(int set, int position, bool forward, int offset)
    {
        const int limit = 25;
        var order = AppwriteQueryParser.Parse(QuerySets[set], ExecutionQueryModel.Appwrite).Order;
        var all = _reference.Select(_data.Executions, e => e.FunctionId == FunctionId, null, order);
        var cursorRow = all[position];
        string[] queries =
        [
            .. QuerySets[set], Limit(limit), $$"""{"method":"{{(forward ? "cursorAfter" : "cursorBefore")}}","values":["{{cursorRow.Id}}"]}""",
            $$"""{"method":"offset","values":[{{offset}}]}""",
        ];
        var (page, expected) = await RunAsync(queries);

        // Rows of the filtered list that sort after (before) the cursor row, then the offset skipped from the cursor side.
        var beyond = expected.Where(e => InMemoryReference.Compare(e, cursorRow, order) * (forward ? 1 : -1) > 0).ToList();
        var slice = forward ? beyond.Skip(offset).Take(limit) : beyond.SkipLast(offset).TakeLast(limit);
        var context = string.Join(" ", queries);
        Assert.That(Ids(page), Is.EqualTo(slice.Select(e => e.Id).ToList()), context);
        var further = beyond.Count > offset + limit;
        Assert.That(forward ? page.PageInfo.HasNextPage : page.PageInfo.HasPreviousPage, Is.EqualTo(further), context);
    }

    [TestCase("exe_missing")]
    [TestCase(null)]
    public void Cursor_OutsideTheList_IsCursorNotFound(string? rowId)
    {
        // An execution of another function exists, but not in this list's scope.
        rowId ??= _data.Executions.First(e => e.FunctionId == OtherFunctionId).Id;
        var error = Assert.ThrowsAsync<ValidationException>(() => RunAsync([$$"""{"method":"cursorAfter","values":["{{rowId}}"]}"""]));

        Assert.That(error!.AppwriteType, Is.EqualTo("general_cursor_not_found"));
        Assert.That(error.Errors["queries"], Is.EqualTo(new[] { $"Execution '{rowId}' for the 'cursor' value not found." }));
    }

    [Test]
    public async Task Total_False_IsZeroWithoutCounting()
    {
        var (page, _) = await RunAsync([Limit(3)], total: false);

        Assert.That(Ids(page), Has.Count.EqualTo(3));
        Assert.That((page.PageInfo.Total, page.PageInfo.TotalExact), Is.EqualTo((0L, false)));
    }

    [Test]
    public async Task Limit_5000_ReturnsAFullPage()
    {
        var (page, expected) = await RunAsync([Limit(5000)]);

        Assert.That(Ids(page), Is.EqualTo(expected.Take(5000).Select(e => e.Id).ToList()));
        Assert.That(page.PageInfo.HasNextPage, Is.True);
    }

    [TestCase("[]")]
    [TestCase("""["{\"method\":\"orderDesc\",\"attribute\":\"$createdAt\"}"]""")]
    public async Task OffsetPage_OnSqlite_WalksTheFunctionIndexInOrder(string queriesJson)
    {
        var queries = System.Text.Json.JsonSerializer.Deserialize<string[]>(queriesJson)!;
        await using var db = TestDatabases.Sqlite(_path);
        var list = _lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, [.. queries, """{"method":"offset","values":[10000]}"""]).Within(Scope());
        var runner = new EfListQueryRunner(db, new CursorCodec(new byte[32]), new ListTotalOptions(ListTotalOptions.DefaultCap));
        await using var command = runner.PageQuery(list, null, forward: true, skip: 10_000).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync();
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var text = string.Join(" | ", plan);
        Assert.That(text, Does.Contain("IX_executions_FunctionId_CreatedAt_Id"), text);
        Assert.That(text, Does.Not.Contain("TEMP B-TREE"), "the index order is the list's order, so the offset is a walk, not a sort");
    }

    public static IEnumerable<TestCaseData> PlainCases() =>
        from newestFirst in new[] { false, true }
        from offset in new[] { 0, 1, 24, 4990, 5049, 6000 }
        from limit in new[] { 1, 25, 100 }
        from total in new[] { true, false }
        select new TestCaseData(newestFirst, offset, limit, total);

    /// <summary>
    /// The unfiltered list read by <see cref="ExecutionPages"/> (the handler's path for it) gives what the general runner
    /// gives: the same answers field by field (reported statuses, headers, nulls included), page flags and total.
    /// </summary>
    [TestCaseSource(nameof(PlainCases))]
    public async Task PlainPage_MatchesTheRunnerAndTheOracle(bool descending, int offset, int limit, bool total)
    {
        string[] queries =
        [
            .. descending ? ["""{"method":"orderDesc","attribute":"$createdAt"}"""] : Array.Empty<string>(),
            Limit(limit), $$"""{"method":"offset","values":[{{offset}}]}""",
        ];
        var (general, expected) = await RunAsync(queries, total);
        var list = _lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, queries, total);
        var plain = PlainExecutionPage.Of(list);
        Assert.That(plain, Is.Not.Null, "an unfiltered offset page in creation order takes the plain path");
        var now = DateTimeOffset.UtcNow;
        await using var db = TestDatabases.Sqlite(_path);

        var page = await plain!.ReadAsync(new ExecutionPages(db), FunctionId, 15, now, CancellationToken.None);

        var context = string.Join(" ", queries) + $" total={total}";
        Assert.That(page.Items.Select(e => e.Id), Is.EqualTo(expected.Skip(offset).Take(limit).Select(e => e.Id)), context);
        Assert.That(Json(page.Items), Is.EqualTo(Json(general.Items.Select(e => ExecutionDto.From(e, 15, now)))), context);
        Assert.That(page.PageInfo, Is.EqualTo(general.PageInfo), context);
    }

    [Test]
    public void PlainPage_IsNotTakenForAFilterAnotherOrderACursorOrAnExactTotal()
    {
        var cursorRow = _data.Executions[0].Id;
        foreach (var queries in new[]
        {
            new[] { """{"method":"equal","attribute":"status","values":["failed"]}""" },
            new[] { """{"method":"orderAsc","attribute":"duration"}""" },
            new[] { $$"""{"method":"cursorAfter","values":["{{cursorRow}}"]}""" },
        })
        {
            Assert.That(PlainExecutionPage.Of(_lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, queries)), Is.Null, string.Join(" ", queries));
        }

        var plain = _lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, []);
        Assert.That(PlainExecutionPage.Of(plain with { Total = ListTotal.Exact }), Is.Null);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task PlainPage_OnSqlite_CutsTheOffsetFromTheFunctionIndexAlone(bool descending)
    {
        await using var db = TestDatabases.Sqlite(_path);
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + ExecutionPages.PageText(db, descending);
        foreach (var (name, value) in new (string, object)[] { ("@functionId", FunctionId), ("@skip", 10_000), ("@take", 26) })
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.Value) = (name, value);
            command.Parameters.Add(parameter);
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var text = string.Join(" | ", plan);
        Assert.That(text, Does.Contain("COVERING INDEX IX_executions_FunctionId_CreatedAt_Id"), "the skipped rows are index entries, never table rows: " + text);
        Assert.That(text, Does.Not.Contain("SCAN executions"), text);
    }

    private static string Json<T>(IEnumerable<T> items) => System.Text.Json.JsonSerializer.Serialize(items.ToList());

    private async Task<(Page<Execution> Page, List<Execution> Expected)> RunAsync(string[] queries, bool total = true)
    {
        var list = _lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, queries, total).Within(Scope());
        var expected = _reference.Select(_data.Executions, e => e.FunctionId == FunctionId, list.Filter, list.Order);
        await using var db = TestDatabases.Sqlite(_path);
        var runner = new EfListQueryRunner(db, new CursorCodec(new byte[32]), new ListTotalOptions(ListTotalOptions.DefaultCap));
        return (await runner.RunAsync(list), expected);
    }

    private static Specification<Execution> Scope()
    {
        var scope = new Specification<Execution>();
        scope.Query.Where(e => e.FunctionId == FunctionId);
        return scope;
    }

    private static string Limit(int limit) => $$"""{"method":"limit","values":[{{limit}}]}""";

    private static List<string> Ids(Page<Execution> page) => [.. page.Items.Select(e => e.Id)];
}
