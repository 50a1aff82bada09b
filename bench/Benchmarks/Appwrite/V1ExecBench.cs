using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.Executions.Queries;
using FunctionsPlatform.Application.Executions.Queries.ListExecutions;
using FunctionsPlatform.Benchmarks.Querying;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Querying;
using FunctionsPlatform.Infrastructure.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Benchmarks.Appwrite;

/// <summary>
/// /v1 executions. (1) A synchronous <c>POST /v1/functions/{id}/executions</c> against <c>POST /api/functions/{id}/invoke</c>
/// on the same function in the same API process, calls interleaved, both against the adapter floor measured in the run.
/// (2) <c>listExecutions</c> (first page, and <c>offset</c> 10,000) over one function holding N executions, through the
/// list handler's steps on a migrated SQLite file: the general runner (builder, reported-status rewrite, scope, EF) as the
/// baseline, and the plain page the handler now takes for an unfiltered list, interleaved; then the same over HTTP.
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- v1exec [--quick] [--list-only | --exec-only] [--executions N] [--api-dll PATH] [--port N]</c> (default 1,000,000; <c>--api-dll</c> runs another build of the API for the HTTP parts).
/// </summary>
public static class V1ExecBench
{
    public static async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var index = Array.IndexOf(args, "--executions");
        var executions = index >= 0 ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : 1_000_000;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
        if (!args.Contains("--list-only"))
        {
            await InvokeOverheadAsync(quick ? 300 : 2000, quick, report, InvokeBench.ApiDll(args), InvokeBench.Port(args, 5194));
            Console.WriteLine(report.ToString());
            report.Clear();
        }

        if (args.Contains("--exec-only"))
        {
            return;
        }

        await ListAsync(executions, quick ? 50 : 200, report);
        Console.WriteLine(report.ToString());
        report.Clear();
        await ListOverHttpAsync(executions, quick ? 50 : 200, report, InvokeBench.ApiDll(args));
        Console.WriteLine(report.ToString());
    }

    private static async Task InvokeOverheadAsync(int calls, bool quick, StringBuilder report, string? apiDll, int port)
    {
        var catalog = new RuntimeCatalog(Options.Create(new RuntimeOptions()), NullLogger<RuntimeCatalog>.Instance);
        var node = catalog.Runtimes.First(r => r.Key == "node");
        var floor = await RuntimeBench.MeasureFloorAsync(node, RuntimeBench.NodeCode, "index.js", calls);

        var data = Directory.CreateTempSubdirectory("fp-v1exec-bench-").FullName;
        using var api = InvokeBench.StartApi(data, port, tuned: false, apiDll);
        report.AppendLine(CultureInfo.InvariantCulture, $"API: {apiDll ?? "this build"}.");
        try
        {
            using var admin = InvokeBench.NewClient(port);
            await InvokeBench.WaitHealthyAsync(admin);
            var function = await (await admin.PostAsJsonAsync("/api/functions", new { workspaceId = "default", name = "bench-v1" })).Content.ReadFromJsonAsync<JsonObject>();
            var versionId = function!["defaultVersionId"]!.GetValue<string>();
            (await admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { new { path = "index.js", content = RuntimeBench.NodeCode } } })).EnsureSuccessStatusCode();
            var id = function["id"]!.GetValue<string>();
            using var v1 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            v1.DefaultRequestHeaders.Add("X-Appwrite-Key", InvokeBench.AdminKey);
            v1.DefaultRequestHeaders.Add("X-Appwrite-Project", "default");
            v1.DefaultRequestHeaders.Add("X-Appwrite-Response-Format", "1.9.5");

            async Task ApiAsync()
            {
                using var content = new StringContent("""{"args":{"hello":"world"}}""", Encoding.UTF8, "application/json");
                using var response = await admin.PostAsync($"/api/functions/{id}/invoke", content);
                Check(response, await response.Content.ReadAsStringAsync(), "\"ok\":true");
            }

            async Task V1Async()
            {
                using var content = new StringContent("""{"body":"{\"args\":{\"hello\":\"world\"}}","async":false}""", Encoding.UTF8, "application/json");
                using var response = await v1.PostAsync($"/v1/functions/{id}/executions", content);
                Check(response, await response.Content.ReadAsStringAsync(), "\"status\":\"completed\"");
            }

            var warmUntil = Stopwatch.GetTimestamp() + (long)((quick ? 2 : 10) * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < warmUntil)
            {
                await ApiAsync();
                await V1Async();
            }

            // Interleaved in blocks so drift in machine load falls on both paths alike.
            var apiTimes = new List<double>();
            var v1Times = new List<double>();
            for (var block = 0; block < 10; block++)
            {
                apiTimes.AddRange(await RuntimeBench.TimeCallsAsync(ApiAsync, calls / 10));
                v1Times.AddRange(await RuntimeBench.TimeCallsAsync(V1Async, calls / 10));
            }

            var floorP50 = RuntimeBench.Percentile(floor, 50);
            report.AppendLine();
            report.AppendLine("| path (node echo, warm, sequential) | p50 µs | p99 µs | p50 over floor, ms |");
            report.AppendLine("|---|---|---|---|");
            foreach (var (name, times) in new[] { ("floor: adapter client → adapter", floor), ("`POST /api/functions/{id}/invoke`", apiTimes), ("`POST /v1/functions/{id}/executions` (sync)", v1Times) })
            {
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {RuntimeBench.Percentile(times, 50):0} | {RuntimeBench.Percentile(times, 99):0} | {(RuntimeBench.Percentile(times, 50) - floorP50) / 1000:0.00} |");
            }

            report.AppendLine(CultureInfo.InvariantCulture,
                $"\n/v1 sync execution over /api invoke, p50: {(RuntimeBench.Percentile(v1Times, 50) - RuntimeBench.Percentile(apiTimes, 50)) / 1000:+0.00;-0.00} ms ({calls} calls each).");
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static void Check(HttpResponseMessage response, string text, string expected)
    {
        if (!response.IsSuccessStatusCode || !text.Contains(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"call failed: {(int)response.StatusCode} {text}");
        }
    }

    private static async Task ListAsync(int executions, int calls, StringBuilder report)
    {
        const string functionId = "fun_bench_exec";
        var path = await SeedAsync(executions, functionId);
        var lists = new ListQueryBuilder(new CursorCodec(new byte[32]));
        var cursors = new CursorCodec(new byte[32]);
        var scope = new ExecutionsOfFunctionSpec(functionId);

        // Baseline: the general list runner (EF query, entities), as every list took before the plain page.
        async Task RunnerAsync(string[] queries, bool total, int expected)
        {
            var now = DateTimeOffset.UtcNow;
            var list = lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, queries, total);
            list = (list with { Filter = ReportedStatusFilter.Rewrite(list.Filter, 15, now) }).Within(scope);
            await using var db = BenchDatabase.Open(path);
            var page = await new EfListQueryRunner(db, cursors, new ListTotalOptions(ListTotalOptions.DefaultCap)).RunAsync(list);
            Expect(page.Map(e => ExecutionDto.From(e, 15, now)), expected);
        }

        // The handler's path for an unfiltered page: one command, rows straight into the answer's fields.
        async Task PlainAsync(string[] queries, bool total, int expected)
        {
            var list = lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, queries, total);
            var plain = PlainExecutionPage.Of(list) ?? throw new InvalidOperationException("not a plain page");
            await using var db = BenchDatabase.Open(path);
            Expect(await plain.ReadAsync(new ExecutionPages(db), functionId, 15, DateTimeOffset.UtcNow, CancellationToken.None), expected);
        }

        static void Expect(Page<ExecutionDto> page, int expected)
        {
            if (page.Items.Count != expected)
            {
                throw new InvalidOperationException($"expected {expected} rows, got {page.Items.Count}");
            }
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"listExecutions over one function with {executions:N0} executions (SQLite, handler steps, a fresh context per call, {calls} calls per row interleaved in blocks of 10, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):");
        report.AppendLine();
        report.AppendLine("| page | general runner p50 ms | plain page p50 ms | ratio | runner p99 | plain p99 | runner CPU µs/call | plain CPU µs/call |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (name, queries, total) in new (string, string[], bool)[]
        {
            ("first page (25), total up to 5,000", [], true),
            ("`offset` 10,000 (25), total up to 5,000", ["""{"method":"offset","values":[10000]}"""], true),
            ("first page (25), `total=false`", [], false),
            ("`offset` 10,000 (25), `total=false`", ["""{"method":"offset","values":[10000]}"""], false),
            ("newest first (`orderDesc $createdAt`), total up to 5,000", ["""{"method":"orderDesc","attribute":"$createdAt"}"""], true),
        })
        {
            var (runner, plain) = (new Timing(), new Timing());
            await RuntimeBench.TimeCallsAsync(() => RunnerAsync(queries, total, 25), 1);
            await RuntimeBench.TimeCallsAsync(() => PlainAsync(queries, total, 25), 1);
            for (var block = 0; block < calls / 10; block++)
            {
                await runner.MeasureAsync(() => RunnerAsync(queries, total, 25), 10);
                await plain.MeasureAsync(() => PlainAsync(queries, total, 25), 10);
            }

            var (r50, p50) = (RuntimeBench.Percentile(runner.Times, 50) / 1000, RuntimeBench.Percentile(plain.Times, 50) / 1000);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {r50:0.00} | **{p50:0.00}** | {p50 / r50:0.00}× | {RuntimeBench.Percentile(runner.Times, 99) / 1000:0.00} | {RuntimeBench.Percentile(plain.Times, 99) / 1000:0.00} | {runner.CpuMicrosecondsPerCall:0} | {plain.CpuMicrosecondsPerCall:0} |");
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>Wall time per call and this process's CPU time per call (user + system, all threads: GC included).</summary>
    private sealed class Timing
    {
        private TimeSpan _cpu;

        public List<double> Times { get; } = [];

        public double CpuMicrosecondsPerCall => _cpu.TotalMicroseconds / Math.Max(1, Times.Count);

        public async Task MeasureAsync(Func<Task> call, int calls)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < calls; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                Times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }

            _cpu += Process.GetCurrentProcess().TotalProcessorTime - cpu;
        }
    }

    /// <summary>
    /// The same pages through the real API: <c>GET /v1/functions/{id}/executions</c> on a server whose database is a copy
    /// of the seeded file (its bootstrap workspace is the seeded one): authentication, pipeline, function lookup, handler,
    /// the pooled context and the JSON answer.
    /// </summary>
    private static async Task ListOverHttpAsync(int executions, int calls, StringBuilder report, string? apiDll)
    {
        const int port = 5195;
        const string functionId = "fun_bench_exec";
        var seeded = await SeedAsync(executions, functionId);
        var data = Directory.CreateTempSubdirectory("fp-v1list-bench-").FullName;
        File.Copy(seeded, Path.Combine(data, "functions.db"));
        using var api = InvokeBench.StartApi(data, port, tuned: false, apiDll, [$"Bootstrap__WorkspaceId={BenchDatabase.Workspace}"]);
        try
        {
            using var v1 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await InvokeBench.WaitHealthyAsync(v1);
            v1.DefaultRequestHeaders.Add("X-Appwrite-Key", InvokeBench.AdminKey);
            v1.DefaultRequestHeaders.Add("X-Appwrite-Project", BenchDatabase.Workspace);
            v1.DefaultRequestHeaders.Add("X-Appwrite-Response-Format", "1.9.5");
            using var constant = await v1.GetAsync("/v1/health/version");
            constant.EnsureSuccessStatusCode();

            async Task PageAsync(string query)
            {
                using var response = await v1.GetAsync($"/v1/functions/{functionId}/executions{query}");
                Check(response, await response.Content.ReadAsStringAsync(), "\"executions\":[{");
            }

            async Task FloorAsync()
            {
                using var response = await v1.GetAsync("/v1/health/version");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsStringAsync();
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"Over HTTP (`GET /v1/functions/{{id}}/executions`, {executions:N0} executions, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):");
            report.AppendLine();
            report.AppendLine("| page | p50 ms | p99 ms |");
            report.AppendLine("|---|---|---|");
            foreach (var (name, query) in new (string, string)[]
            {
                ("floor: `GET /v1/health/version` (HTTP round trip, no auth)", ""),
                ("first page (25)", ""),
                ("`offset` 10,000 (25)", "?queries[]=" + Uri.EscapeDataString("""{"method":"offset","values":[10000]}""")),
                ("`status equal failed`, first page", "?queries[]=" + Uri.EscapeDataString("""{"method":"equal","attribute":"status","values":["failed"]}""")),
            })
            {
                Func<Task> call = name.StartsWith("floor", StringComparison.Ordinal) ? FloorAsync : () => PageAsync(query);
                var warmUntil = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency;
                while (Stopwatch.GetTimestamp() < warmUntil)
                {
                    await call();
                }

                var times = await RuntimeBench.TimeCallsAsync(call, calls);
                report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {RuntimeBench.Percentile(times, 50) / 1000:0.00} | {RuntimeBench.Percentile(times, 99) / 1000:0.00} |");
            }
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A migrated SQLite file with one function and N executions (a third failed), reused while the count matches.</summary>
    private static async Task<string> SeedAsync(int count, string functionId)
    {
        var directory = Path.Combine(Path.GetTempPath(), "functionsplatform-bench");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"v1exec-{count}.db");
        if (File.Exists(path))
        {
            // Made by an older build: bring its schema up to this build's migrations (new columns, indexes).
            await using (var reused = BenchDatabase.Open(path))
            {
                await reused.Database.MigrateAsync();
            }

            SqliteConnection.ClearAllPools();
            return path;
        }

        var clock = Stopwatch.StartNew();
        var temporary = path + ".partial";
        File.Delete(temporary);
        await using (var migrating = BenchDatabase.Open(temporary))
        {
            await migrating.Database.MigrateAsync();
        }

        SqliteConnection.ClearAllPools();
        await using (var db = BenchDatabase.Open(temporary))
        {
            var model = db.Model;
            await using var connection = new SqliteConnection($"Data Source={temporary}");
            await connection.OpenAsync();
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;";
                await pragma.ExecuteNonQueryAsync();
            }

            await using var transaction = connection.BeginTransaction();
            var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            BenchDatabase.Inserter.For(model.FindEntityType(typeof(Function))!, connection, transaction)
                .Insert(Function.Create(functionId, BenchDatabase.Workspace, "bench", "node-22", start));
            var executions = BenchDatabase.Inserter.For(model.FindEntityType(typeof(Execution))!, connection, transaction);
            for (var i = 0; i < count; i++)
            {
                var at = start.AddMilliseconds(i * 100L);
                var execution = Execution.Create($"exe_{i:D12}", functionId, BenchDatabase.Workspace, ExecutionTrigger.Http, "POST", "/", [], null, at);
                execution.Conclude(new RunOutcome(i % 3 != 0, i % 3 == 0 ? 500 : 200, "", [], "", "", 0.01), at);
                executions.Insert(execution);
            }

            await transaction.CommitAsync();
            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE;";
            await analyze.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        File.Move(temporary, path);
        Console.WriteLine($"seeded {count:N0} executions into {path} in {clock.Elapsed.TotalSeconds:F1} s");
        return path;
    }
}
