using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Querying;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>
/// The SQL of representative queries on both providers (SQL Server rendered offline): every operand is a parameter,
/// hostile text never appears in the statement, and relations are correlated subqueries.
/// </summary>
[TestFixture]
public sealed class RenderedSqlTests
{
    private const string Hostile = "x'; DROP TABLE Functions; --%_[";

    private static readonly string[] Filters =
    [
        $$$$"""{"name":{"eq":"{{{{Hostile}}}}"}}""",
        $$$$"""{"name":{"contains":"{{{{Hostile}}}}"}}""",
        $$$$"""{"name":{"icontains":"{{{{Hostile}}}}"}}""",
        $$$$"""{"name":{"startsWith":"{{{{Hostile}}}}"}}""",
        $$$$"""{"name":{"endsWith":"{{{{Hostile}}}}"}}""",
        $$$$"""{"name":{"gt":"{{{{Hostile}}}}"}}""",
        $$$$"""{"description":{"in":["{{{{Hostile}}}}","b"]},"timeout":{"gte":12345}}""",
        $$$$"""{"OR":[{"createdAt":{"lt":"2031-02-03T04:05:06.789Z"}},{"source":"openapi-op"}]}""",
        $$$$"""{"versions":{"some":{"name":"{{{{Hostile}}}}"}},"defaultVersion":{"name":{"neq":"{{{{Hostile}}}}"}}}""",
        $$$$"""{"executions":{"every":{"status":"failed"}}}""",
    ];

    public static IEnumerable<TestCaseData> Cases() =>
        from provider in new[] { "sqlite", "sqlserver" }
        from filter in Filters
        select new TestCaseData(provider, filter);

    [TestCaseSource(nameof(Cases))]
    public void Filter_RendersOperandsAsParameters(string provider, string filter)
    {
        using AppDbContext db = provider == "sqlite" ? TestDatabases.Sqlite(":memory:") : TestDatabases.SqlServerOffline();
        var model = FunctionQueryModel();
        var predicate = new FilterTranslator(new DbSetRelationSource(db)).Translate<Function>(FilterJsonParser.Parse(filter, model)!);
        var sql = db.Set<Function>().Where(predicate).ToQueryString();
        TestContext.Out.WriteLine(sql);

        var statement = StatementOf(sql);
        Assert.That(statement, Does.Not.Contain("DROP"));
        Assert.That(statement, Does.Not.Contain("12345"));
        Assert.That(statement, Does.Not.Contain("2031"));
        Assert.That(statement, Does.Not.Contain("openapi").And.Not.Contain("OpenapiOp"));
        if (provider == "sqlite")
        {
            Assert.That(statement, Does.Not.Contain("LIKE"), "SQLite's LIKE ignores case and gives %, _ a meaning");
        }
        else if (statement.Contains("LIKE", StringComparison.Ordinal))
        {
            Assert.That(statement, Does.Contain("ESCAPE"), "SQL Server LIKE only with EF's escaped parameter");
        }
    }

    [TestCase("sqlite")]
    [TestCase("sqlserver")]
    public void KeysetPage_RendersBoundaryAsParameters(string provider)
    {
        using AppDbContext db = provider == "sqlite" ? TestDatabases.Sqlite(":memory:") : TestDatabases.SqlServerOffline();
        var model = FunctionQueryModel();
        var order = OrderByJsonParser.Parse("""[{"description":"desc_nulls_first"},{"createdAt":"asc"}]""", model);
        var translator = new FilterTranslator(new DbSetRelationSource(db));
        var keyset = new KeysetBuilder(translator.Comparisons);
        var boundary = new object?[] { Hostile, new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero), "fun_" + Hostile };
        var sql = keyset.Order(db.Set<Function>().Where(keyset.After<Function>(order, boundary, inclusive: false)), order).Take(11).ToQueryString();
        TestContext.Out.WriteLine(sql);

        var statement = StatementOf(sql);
        Assert.That(statement, Does.Not.Contain("DROP"));
        Assert.That(statement, Does.Not.Contain("2031"));
        Assert.That(statement, Does.Contain("ORDER BY"));
    }

    private static IQueryModel FunctionQueryModel() => TestQueryModels.For<Function>();

    /// <summary>ToQueryString prefixes parameter declarations (with their values); the statement is what follows.</summary>
    private static string StatementOf(string sql)
    {
        var lines = sql.Split('\n');
        return string.Join('\n', lines.SkipWhile(l => l.StartsWith("DECLARE", StringComparison.Ordinal) || l.StartsWith(".param", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(l)));
    }
}
