using System.Diagnostics;
using System.Globalization;
using System.Text;
using FunctionsPlatform.Infrastructure.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// Sequential warm invoke on two builds of the API at once, measured in alternating rounds: on a machine whose load
/// swings (other builds and tests), runs one after the other compare the load of two moments, not two builds. Here both
/// servers run side by side (idle while the other is measured) and each round of A is followed by a round of B, so a
/// burst of load falls on both. Reports each build's pooled p50/p99, the overhead over the adapter floor, and the
/// rounds in pairs.
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- invokeab --a PATH|this --b PATH|this [--rounds N] [--calls N] [--warmup-seconds N] [--port N] [--env-b NAME=value]</c>
/// (<c>this</c>: this bench's own build of the API; ports N and N + 1).
/// </summary>
public static class InvokeAbBench
{
    public static async Task RunAsync(string[] args)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        string? Dll(string name) => Option(name) is { } v && v != "this" ? v : null;
        var rounds = int.Parse(Option("--rounds") ?? "10", CultureInfo.InvariantCulture);
        var calls = int.Parse(Option("--calls") ?? "2000", CultureInfo.InvariantCulture);
        var warmUpSeconds = double.Parse(Option("--warmup-seconds") ?? "45", CultureInfo.InvariantCulture);
        var port = InvokeBench.Port(args, 5290);
        var environmentB = args.Select((a, i) => (a, i)).Where(p => p.a == "--env-b" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();

        var catalog = new RuntimeCatalog(Options.Create(new RuntimeOptions()), NullLogger<RuntimeCatalog>.Instance);
        var node = catalog.Runtimes.First(r => r.Key == "node");
        var floor = await RuntimeBench.MeasureFloorAsync(node, RuntimeBench.NodeCode, "index.js", calls * rounds);

        await using var a = await Server.StartAsync(Dll("--a"), port, []);
        await using var b = await Server.StartAsync(Dll("--b"), port + 1, environmentB);
        var warmUntil = Stopwatch.GetTimestamp() + (long)(warmUpSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            for (var i = 0; i < 200; i++)
            {
                await a.InvokeAsync();
            }

            for (var i = 0; i < 200; i++)
            {
                await b.InvokeAsync();
            }
        }

        var pairs = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which goes first, so neither always follows the other's garbage or timers.
            var (first, second) = round % 2 == 0 ? (a, b) : (b, a);
            await first.RoundAsync(calls);
            await second.RoundAsync(calls);
            pairs.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {round + 1} | {RuntimeBench.Percentile(a.Rounds[^1], 50):0} / {RuntimeBench.Percentile(a.Rounds[^1], 99):0} | {RuntimeBench.Percentile(b.Rounds[^1], 50):0} / {RuntimeBench.Percentile(b.Rounds[^1], 99):0} |"));
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; defaults; warm-up {warmUpSeconds:0} s; {rounds} alternating rounds of {calls} sequential calls each.");
        report.AppendLine(CultureInfo.InvariantCulture, $"A = {Option("--a") ?? "this"}; B = {Option("--b") ?? "this"}{(environmentB.Count > 0 ? " with " + string.Join(' ', environmentB) : "")}.");
        report.AppendLine();
        report.AppendLine("| path | p50 µs | p99 µs | overhead p50 / p99 ms |");
        report.AppendLine("|---|---|---|---|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| floor: adapter client → adapter | {RuntimeBench.Percentile(floor, 50):0} | {RuntimeBench.Percentile(floor, 99):0} | |");
        foreach (var (name, server) in new[] { ("A", a), ("B", b) })
        {
            var all = server.Rounds.SelectMany(r => r).ToList();
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} invoke | {RuntimeBench.Percentile(all, 50):0} | {RuntimeBench.Percentile(all, 99):0} | {(RuntimeBench.Percentile(all, 50) - RuntimeBench.Percentile(floor, 50)) / 1000:0.00} / {(RuntimeBench.Percentile(all, 99) - RuntimeBench.Percentile(floor, 99)) / 1000:0.00} |");
        }

        report.AppendLine();
        report.AppendLine("| round | A p50 / p99 µs | B p50 / p99 µs |");
        report.AppendLine("|---|---|---|");
        pairs.ForEach(p => report.AppendLine(p));
        Console.WriteLine(report.ToString());
    }

    private sealed class Server : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _client;
        private readonly string _data;
        private EchoFunction? _echo;

        private Server(Process process, HttpClient client, string data) => (_process, _client, _data) = (process, client, data);

        public List<List<double>> Rounds { get; } = [];

        public static async Task<Server> StartAsync(string? apiDll, int port, IEnumerable<string> environment)
        {
            var data = Directory.CreateTempSubdirectory("fp-invoke-ab-").FullName;
            var server = new Server(InvokeBench.StartApi(data, port, tuned: false, apiDll, environment), InvokeBench.NewClient(port), data);
            await InvokeBench.WaitHealthyAsync(server._client);
            server._echo = await EchoFunction.CreateAsync(server._client);
            return server;
        }

        public Task InvokeAsync() => _echo!.InvokeAsync(_client);

        public async Task RoundAsync(int calls)
        {
            var latencies = new List<double>(calls);
            for (var i = 0; i < calls; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await InvokeAsync();
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
            }

            Rounds.Add(latencies);
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            Directory.Delete(_data, recursive: true);
        }
    }
}
