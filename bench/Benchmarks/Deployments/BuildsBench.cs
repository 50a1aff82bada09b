using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static FunctionsPlatform.Benchmarks.DeployBench;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// Queued builds against the API started as its own process (Release, SQLite, sandboxed builds): ten deployments created
/// at once, each with commands that burn one CPU for a while, must run <c>Builds:MaxConcurrent</c> at a time (the
/// deployment list is polled every 50 ms and the <c>building</c> ones counted), while a warm function of another function
/// keeps being invoked: its sync execution p50 during the builds against the same calls with no build, same run.
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- builds [--quick]</c>.
/// </summary>
public static class BuildsBench
{
    private const string AdminKey = "bench_builds_admin_key_0123456789abcdef";
    private const int MaxConcurrent = 2;
    private const int Builds = 10;

    public static async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var burnSeconds = quick ? 1 : 2;
        var data = Directory.CreateTempSubdirectory("fp-builds-bench-").FullName;
        var port = FreePort();
        using var server = StartServer(port, data, new Dictionary<string, string>
        {
            ["Bootstrap__AdminKey"] = AdminKey,
            ["Builds__MaxConcurrent"] = MaxConcurrent.ToString(CultureInfo.InvariantCulture),
            ["Builds__PollIntervalMs"] = "200",
        });
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Add("X-Appwrite-Key", AdminKey);
            client.DefaultRequestHeaders.Add("X-Appwrite-Project", "default");
            client.DefaultRequestHeaders.Add("X-Appwrite-Response-Format", "1.9.5");
            await WaitUntilUpAsync(client);

            var warm = await CreateFunctionAsync(client);
            await DeployAsync(client, warm, TarGz("module.exports = async ({ res }) => res.json({ ok: true });"), null, activate: true);
            await WaitForAsync(client, warm, deployments => deployments.All(d => d.Status == "ready"));
            for (var i = 0; i < 20; i++)
            {
                await InvokeAsync(client, warm); // warm processes and paths
            }

            var idle = new List<double>();
            for (var i = 0; i < (quick ? 100 : 300); i++)
            {
                idle.Add(await InvokeAsync(client, warm));
            }

            // One deployment each for ten functions: parallel uploads to one function can meet a 409 on its row.
            var built = new List<string>();
            for (var i = 0; i < Builds; i++)
            {
                built.Add(await CreateFunctionAsync(client));
            }

            var source = TarGz("module.exports = async ({ res }) => res.json({ built: true });");
            // Each build logs when its commands start and end (ns): the overlap of those intervals is exact, unlike polls.
            var commands = $"echo start $(date +%s%N); timeout {burnSeconds} sh -c 'while :; do :; done'; echo end $(date +%s%N)";
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(built.Select(fn => DeployAsync(client, fn, source, commands, activate: false)));
            var queued = clock.Elapsed;

            using var stop = new CancellationTokenSource();
            var during = new List<double>();
            var invoking = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    during.Add(await InvokeAsync(client, warm));
                }
            });
            List<(string Status, double Duration, string Logs)> final;
            while (true)
            {
                final = [.. (await Task.WhenAll(built.Select(fn => ListAsync(client, fn)))).SelectMany(l => l)];
                if (final.All(d => d.Status is "ready" or "failed" or "canceled"))
                {
                    break;
                }

                await Task.Delay(50);
            }

            var maxBuilding = MostAtOnce(final.Select(d => d.Logs));

            var allBuilt = clock.Elapsed;
            await stop.CancelAsync();
            await invoking;

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; Builds:MaxConcurrent = {MaxConcurrent}.");
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"{Builds} deployments queued in {queued.TotalMilliseconds:0} ms, each burning one CPU for {burnSeconds} s in its sandbox; all ended after {allBuilt.TotalSeconds:0.0} s " +
                $"(ideal at {MaxConcurrent} at a time: {(double)Builds * burnSeconds / MaxConcurrent:0.0} s); statuses {string.Join(", ", final.GroupBy(d => d.Status).Select(g => $"{g.Count()} {g.Key}"))}; " +
                $"most commands running at once (from the start/end times each build logged): **{maxBuilding}**; median buildDuration {Percentile(final.Select(d => d.Duration).ToList(), 50):0.00} s.");
            report.AppendLine();
            report.AppendLine("| warm sync execution of another function (/v1) | samples | p50 ms | p90 ms | p50 vs no build |");
            report.AppendLine("|---|---|---|---|---|");
            var baseline = Percentile(idle, 50);
            foreach (var (name, values) in new[] { ("no build running (baseline)", idle), ($"while the {Builds} builds run", during) })
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {values.Count} | {Percentile(values, 50):0.0} | {Percentile(values, 90):0.0} | {Percentile(values, 50) / baseline:0.00}× |");
            }

            Console.WriteLine(report);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task DeployAsync(HttpClient client, string fn, byte[] archive, string? commands, bool activate)
    {
        using var form = Form(archive, commands, activate);
        await Expect(await client.PostAsync($"/v1/functions/{fn}/deployments", form), HttpStatusCode.Accepted);
    }

    private static async Task<double> InvokeAsync(HttpClient client, string fn)
    {
        var clock = Stopwatch.StartNew();
        using var body = new StringContent("""{"async":false,"method":"GET","path":"/"}""", Encoding.UTF8, "application/json");
        var execution = JsonNode.Parse(await Expect(await client.PostAsync($"/v1/functions/{fn}/executions", body), HttpStatusCode.Created))!;
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return execution["status"]!.GetValue<string>() == "completed"
            ? elapsed
            : throw new InvalidOperationException("The warm execution failed: " + execution["errors"]);
    }

    private static async Task<List<(string Status, double Duration, string Logs)>> ListAsync(HttpClient client, string fn)
    {
        var list = JsonNode.Parse(await Expect(await client.GetAsync($"/v1/functions/{fn}/deployments"), HttpStatusCode.OK))!;
        return list["deployments"]!.AsArray()
            .Select(d => (d!["status"]!.GetValue<string>(), d["buildDuration"]?.GetValue<double>() ?? 0, d["buildLogs"]?.GetValue<string>() ?? ""))
            .ToList();
    }

    /// <summary>The most intervals open at one instant, from the <c>start N</c> / <c>end N</c> lines of the build logs.</summary>
    private static int MostAtOnce(IEnumerable<string> logs)
    {
        var events = new List<(long At, int Change)>();
        foreach (var log in logs)
        {
            var stamps = log.Split('\n').Select(l => l.Split(' ')).Where(p => p.Length == 2 && p[0] is "start" or "end")
                .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
            events.Add((stamps["start"], 1));
            events.Add((stamps["end"], -1));
        }

        var open = 0;
        var most = 0;
        foreach (var (_, change) in events.OrderBy(e => e.At).ThenBy(e => e.Change))
        {
            open += change;
            most = Math.Max(most, open);
        }

        return most;
    }

    private static async Task WaitForAsync(HttpClient client, string fn, Func<List<(string Status, double Duration, string Logs)>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!done(await ListAsync(client, fn)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The deployment did not become ready.");
            }

            await Task.Delay(50);
        }
    }
}
