using System.Diagnostics;
using System.Globalization;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Benchmarks.Querying;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Querying;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Benchmarks -- querying [--rows N] [--iterations N]</c>: list latency as a
/// handler runs it (<see cref="ListQueryBuilder"/> then <see cref="IListQueryRunner"/>) on a 1,000,000-function SQLite
/// file (seeded once, then reused), plus parse+translate cost.
/// </summary>
public static class QueryingBench
{

    public static async Task RunAsync(string[] args)
    {
        var rows = Option(args, "--rows", 1_000_000);
        var iterations = Option(args, "--iterations", 30);
        var path = await BenchDatabase.EnsureAsync(rows);
        var cursors = new CursorCodec(new byte[32]);
        var deepPages = Math.Min(5_000, rows / 100 - 1);
        // The /api/functions scope adds system functions to the workspace: two disjoint parts, each an index seek, merged
        // by the runner (one OR-ed predicate would make SQLite scan and sort the workspace). Measured for the first page.
        var endpointScope = FunctionsVisibleToCallerSpec.Parts(null, new FunctionListScope(BenchDatabase.Workspace, null, DeletedVisibility.Active, null, null, null, null, null, null, null), systemFunctionsExist: true);
        var scope = new Specification<Function>();
        scope.Query.Where(f => f.WorkspaceId == BenchDatabase.Workspace);

        Console.WriteLine($"{rows:N0} functions, {iterations} iterations each (after 3 warm-ups); limit 100; scope = WorkspaceId == @ws unless noted");
        Console.WriteLine($"{"case",-58} {"p50",9} {"p99",9}");
        MeasureParse(20_000);
        if (args.Contains("--parse-only"))
        {
            return;
        }


        if (args.Contains("--http-only"))
        {
            await MeasureHttp(path, args, iterations);
            return;
        }

        // As ListFunctionsHandler runs it: an unfiltered list takes total from the per-workspace counter; a filtered
        // one counts up to the cap (Querying:TotalCountCap); total=exact rows show what an exact count costs.
        var counted = Counter([BenchDatabase.Workspace]);
        await Measure("first page, default order (createdAt desc, id desc)", iterations, () => Run(path, cursors, scope, new ListRequest(null, null, 100, null, null), counted));
        await Measure("  same, /api/functions spec (workspace OR system)", Math.Max(3, iterations / 5), () => Run(path, cursors, endpointScope, new ListRequest(null, null, 100, null, null), counted));
        await Measure("  of which the page itself (limit + 1 rows)", iterations, () => PageOnly(path, scope));
        await Measure("  contrast: exact COUNT(*) of the workspace", iterations, () => Count(path, scope));

        var deepCursor = await CursorAfterRows(path, cursors, deepPages * 100);
        await Measure($"page {deepPages + 1:N0} by keyset cursor (after {deepPages:N0} pages)", iterations, () => Run(path, cursors, scope, new ListRequest(null, null, 100, deepCursor, null), counted));
        await Measure($"page {deepPages + 1:N0} by OFFSET {deepPages * 100:N0} (comparison only)", Math.Max(3, iterations / 5), () => Offset(path, scope, deepPages * 100));

        const string icontains = """{"name":{"icontains":"zeta"}}""";
        const string versionsSome = """{"versions":{"some":{"name":"v2"}}}""";
        await Measure("filter name icontains 'zeta' + orderBy name asc", iterations, () => Run(path, cursors, scope, new ListRequest(icontains, """[{"name":"asc"}]""", 100, null, null)));
        await Measure("  same with total=exact", Math.Max(3, iterations / 5), () => Run(path, cursors, scope, new ListRequest(icontains, """[{"name":"asc"}]""", 100, null, null, TotalMode.Exact)));
        await Measure("filter versions some { name: 'v2' }", iterations, () => Run(path, cursors, scope, new ListRequest(versionsSome, null, 100, null, null)));
        await Measure("  same with total=exact", Math.Max(3, iterations / 5), () => Run(path, cursors, scope, new ListRequest(versionsSome, null, 100, null, null, TotalMode.Exact)));

        // Appwrite queries[] over the same rows: default order createdAt asc, id asc; total counted up to 5,000.
        var deepId = await IdAtRow(path, 10_000);
        await Measure("Appwrite first page (limit 25, total up to 5,000)", iterations, () => RunAppwrite(path, scope, []));
        await Measure("Appwrite offset 10,000 (limit 25)", iterations, () => RunAppwrite(path, scope, ["""{"method":"offset","values":[10000]}"""]));
        await Measure("Appwrite cursorAfter row 10,000 (limit 25)", iterations, () => RunAppwrite(path, scope, [$$"""{"method":"cursorAfter","values":["{{deepId}}"]}"""]));
        await Measure("Appwrite limit 5,000, total=false", Math.Max(3, iterations / 5), () => RunAppwrite(path, scope, ["""{"method":"limit","values":[5000]}"""], total: false));

        if (!args.Contains("--no-http"))
        {
            await MeasureHttp(path, args, iterations);
        }
    }

    private static async Task MeasureHttp(string path, string[] args, int iterations)
    {
        await using var http = await HttpListMeasurement.StartAsync(path, Option(args, "--port", 5199));
        // As the admin (all workspaces): the bench rows belong to a workspace that has no membership rows.
        await Measure("HTTP GET /api/functions?limit=100 (admin, all workspaces)", iterations, () => http.GetAsync("/api/functions?limit=100"));
        var filter = Uri.EscapeDataString("""{"workspaceId":"ws_bench","name":{"startsWith":"Zeta"}}""");
        await Measure("HTTP GET /api/functions, filter workspaceId + name startsWith", iterations, () => http.GetAsync($"/api/functions?limit=100&filter={filter}"));
        var icontains = Uri.EscapeDataString("""{"name":{"icontains":"zeta"}}""");
        var byName = Uri.EscapeDataString("""[{"name":"asc"}]""");
        await Measure("HTTP GET /api/functions, name icontains + orderBy name", iterations, () => http.GetAsync($"/api/functions?limit=100&filter={icontains}&orderBy={byName}"));
        var versionsSome = Uri.EscapeDataString("""{"versions":{"some":{"name":"v2"}}}""");
        await Measure("HTTP GET /api/functions, versions some", iterations, () => http.GetAsync($"/api/functions?limit=100&filter={versionsSome}"));
    }

    private static Task Run(string path, CursorCodec cursors, Specification<Function> scope, ListRequest request,
        Func<AppDbContext, Func<CancellationToken, Task<long>>>? unfilteredTotal = null) =>
        Run(path, cursors, [scope], request, unfilteredTotal);

    /// <summary>As ListFunctionsHandler: build (parse, validate, decode the cursor), take the counter's total when unfiltered, run.</summary>
    private static async Task Run(string path, CursorCodec cursors, IReadOnlyList<Specification<Function>> scope, ListRequest request,
        Func<AppDbContext, Func<CancellationToken, Task<long>>>? unfilteredTotal = null)
    {
        var list = new ListQueryBuilder(cursors).FromApi(FunctionQueryModel.Instance, request).Within(scope);
        await using var db = BenchDatabase.Open(path);
        if (list.Filter is null && unfilteredTotal is not null)
        {
            list = list.WithKnownTotal(await unfilteredTotal(db)(CancellationToken.None));
        }

        var page = await new EfListQueryRunner(db, cursors, new ListTotalOptions(ListTotalOptions.DefaultCap)).RunAsync(list);
        if (page.Items.Count == 0)
        {
            throw new InvalidOperationException("The benchmark query returned nothing.");
        }
    }

    private static async Task RunAppwrite(string path, Specification<Function> scope, string[] queries, bool total = true)
    {
        var cursors = new CursorCodec(new byte[32]);
        var list = new ListQueryBuilder(cursors).FromAppwrite<Function>(FunctionQueryModel.Appwrite, queries, total).Within(scope);
        await using var db = BenchDatabase.Open(path);
        var page = await new EfListQueryRunner(db, cursors, new ListTotalOptions(ListTotalOptions.DefaultCap)).RunAsync(list);
        if (page.Items.Count == 0 || (total && page.PageInfo.Total != AppwriteQueryParser.MaxTotal))
        {
            throw new InvalidOperationException("The benchmark query returned nothing or an unexpected total.");
        }
    }

    /// <summary>The id of the row at <paramref name="position"/> in Appwrite's default order (createdAt asc, id asc).</summary>
    private static async Task<string> IdAtRow(string path, int position)
    {
        await using var db = BenchDatabase.Open(path);
        return await db.Set<Function>().AsNoTracking().Where(f => f.WorkspaceId == BenchDatabase.Workspace)
            .OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).Skip(position - 1).Select(f => f.Id).FirstAsync();
    }

    private static Func<AppDbContext, Func<CancellationToken, Task<long>>> Counter(IReadOnlyCollection<string> workspaces) =>
        db => ct => new FunctionCounts(db).CountLiveAsync(workspaces, includeSystemElsewhere: false, ct);

    private static async Task Count(string path, Specification<Function> scope)
    {
        await using var db = BenchDatabase.Open(path);
        _ = await scope.WhereExpressions.Aggregate(db.Set<Function>().AsNoTracking(), (q, w) => q.Where(w)).LongCountAsync();
    }

    private static async Task PageOnly(string path, Specification<Function> scope)
    {
        await using var db = BenchDatabase.Open(path);
        _ = await scope.WhereExpressions.Aggregate(db.Set<Function>().AsNoTracking(), (q, w) => q.Where(w))
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Take(101).ToListAsync();
    }

    private static async Task Offset(string path, Specification<Function> scope, int skip)
    {
        await using var db = BenchDatabase.Open(path);
        // The soft-delete filter applies, as on the keyset path, so both walk the same index.
        var rows = scope.WhereExpressions.Aggregate(db.Set<Function>().AsNoTracking(), (q, w) => q.Where(w));
        _ = await rows.LongCountAsync();
        _ = await rows.OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Skip(skip).Take(101).ToListAsync();
    }

    /// <summary>The cursor a client holds after walking <paramref name="skip"/> rows: the boundary row found once by offset.</summary>
    private static async Task<string> CursorAfterRows(string path, CursorCodec cursors, int skip)
    {
        await using var db = BenchDatabase.Open(path);
        var model = FunctionQueryModel.Instance;
        var order = OrderByJsonParser.Parse(null, model);
        var boundary = await db.Set<Function>().AsNoTracking().Where(f => f.WorkspaceId == BenchDatabase.Workspace)
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Skip(skip - 1).FirstAsync();
        return cursors.Encode(model, order, [.. order.Select(k => EfListQueryRunner.Getter(k.Field)(boundary))]);
    }

    private static void MeasureParse(int iterations)
    {
        const string filter = """
            {"AND":[{"name":{"icontains":"report"}},{"enabled":true},{"timeout":{"gte":10,"lte":300}},
             {"OR":[{"runtime":{"startsWith":"node"}},{"runtime":{"in":["python-3.12","deno-2"]}}]},
             {"NOT":{"description":{"isNull":true}}},{"createdAt":{"gt":"2024-01-01T00:00:00.000Z"}},
             {"versions":{"some":{"name":{"eq":"v2"},"inputSchemaId":{"isNull":false}}}},
             {"defaultVersion":{"createdAt":{"lt":"2030-01-01T00:00:00.000Z"}}},
             {"source":{"neq":"system"}},{"workspaceId":"ws_bench"}]}
            """;
        using var db = BenchDatabase.Open(":memory:");
        var translator = new FilterTranslator(new DbSetRelationSource(db));
        var model = FunctionQueryModel.Instance;
        var samples = new double[iterations];
        var parseOnly = new double[iterations];
        // Warm up by time, not by count: tiered JIT promotes the hot methods (with dynamic PGO) only after a call-counting
        // delay that restarts while new methods keep being compiled. After 5,000 calls (~0.4 s) the p50 was still 2-4x
        // its steady value.
        var warmUntil = Stopwatch.GetTimestamp() + 3 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            _ = translator.Translate<Function>(FilterJsonParser.Parse(filter, model)!);
        }

        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var node = FilterJsonParser.Parse(filter, model)!;
            var parsed = Stopwatch.GetTimestamp();
            _ = translator.Translate<Function>(node);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            parseOnly[i] = Stopwatch.GetElapsedTime(start, parsed).TotalMicroseconds;
        }

        Array.Sort(samples);
        Array.Sort(parseOnly);
        Console.WriteLine($"{"parse + validate + translate, 20-node filter (µs)",-58} {Percentile(samples, 0.50),9:F1} {Percentile(samples, 0.99),9:F1}");
        Console.WriteLine($"{"  of which parse + validate (µs)",-58} {Percentile(parseOnly, 0.50),9:F1} {Percentile(parseOnly, 0.99),9:F1}");
    }

    private static async Task Measure(string name, int iterations, Func<Task> action)
    {
        for (var i = 0; i < 3; i++)
        {
            await action();
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        Console.WriteLine($"{name,-58} {Percentile(samples, 0.50),9:F2} {Percentile(samples, 0.99),9:F2}");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
