using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using FunctionsPlatform.Infrastructure.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// End-to-end warm invoke: <c>POST /api/functions/{id}/invoke</c> on the real API (its own process, SQLite, auth,
/// MediatR pipeline, schema checks, execution recorded) against the floor measured in the same run (our adapter client straight
/// to a warm node adapter), and throughput at 1/4/16 clients against a bare node HTTP echo loaded the same way.
/// The server runs with the default settings; <c>--tuned</c> sets what earlier runs used (16 idle, 16 per function).
/// <c>--soak</c> adds 60 s at 16 clients and counts errors.
/// CPU per call (API, function processes, load generator, read from /proc) is printed beside the rates: unlike them it
/// holds steady on a loaded machine. <c>--api-dll PATH</c> runs another build of the API; <c>--env NAME=value</c> (repeatable) sets its environment.
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- invoke [--quick] [--tuned] [--soak] [--sequential-only] [--rounds N] [--warmup-seconds N] [--api-dll PATH] [--env NAME=value] [--port N]</c>
/// (the API listens on N, default 5190, and the bare echo on N + 1).
/// </summary>
public static class InvokeBench
{
    internal const string AdminKey = "bench_invoke_admin_key_0123456789";

    public static async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var tuned = args.Contains("--tuned");
        var calls = quick ? 300 : 2000;
        var seconds = quick ? 2.0 : 5.0;
        // Another worktree may be running this bench on the default port at the same time: --port picks another.
        var port = Port(args, 5190);
        var catalog = new RuntimeCatalog(Options.Create(new RuntimeOptions()), NullLogger<RuntimeCatalog>.Instance);
        var node = catalog.Runtimes.First(r => r.Key == "node");

        var rounds = int.Parse(Option(args, "--rounds") ?? (quick ? "1" : "5"), CultureInfo.InvariantCulture);
        // As many floor calls as invokes below, so both p99s rest on the same number of calls.
        var floor = await RuntimeBench.MeasureFloorAsync(node, RuntimeBench.NodeCode, "index.js", calls * rounds);

        var data = Directory.CreateTempSubdirectory("fp-invoke-bench-").FullName;
        var apiDll = Option(args, "--api-dll");
        var environment = args.Select((a, i) => (a, i)).Where(p => p.a == "--env" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();
        using var api = StartApi(data, port, tuned, apiDll, environment);
        using var stopApi = new KillOnDispose(api);
        using var client = NewClient(port);
        await WaitHealthyAsync(client);
        var echoFunction = await EchoFunction.CreateAsync(client);
        var body = Encoding.UTF8.GetBytes("""{"args":{"hello":"world"}}""");
        Task InvokeAsync(HttpClient c) => echoFunction.InvokeAsync(c);
        async Task StopApiAsync()
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }

        // Measure the steady state, not a young server: tiered JIT (with dynamic PGO) keeps recompiling hot methods for
        // 30-40 s of load (about 30,000 compilations in all), and the calls that share the CPU with it are the slow tail.
        // A server that has served for a minute is what users call; --warmup-seconds N says how long (default 45, quick 2).
        var warmUpSeconds = double.Parse(Option(args, "--warmup-seconds") ?? (quick ? "2" : "45"), CultureInfo.InvariantCulture);
        var warmUntil = Stopwatch.GetTimestamp() + (long)(warmUpSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            await InvokeAsync(client);
        }

        // Rounds of sequential calls pooled for the percentiles (a p99 of 2,000 calls is its 20 slowest); each round's
        // own p50/p99 shows the spread, and when its calls over 2 ms happened (a periodic pattern points at a timer).
        var sequential = new List<double>(rounds * calls);
        var roundLines = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var times = new List<(double At, double Us)>(calls);
            var origin = Stopwatch.GetTimestamp();
            for (var i = 0; i < calls; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await InvokeAsync(client);
                times.Add((Stopwatch.GetElapsedTime(origin, t).TotalMilliseconds, Stopwatch.GetElapsedTime(t).TotalMicroseconds));
            }

            var us = times.Select(x => x.Us).ToList();
            sequential.AddRange(us);
            var slow = times.Where(x => x.Us > 2000).Select(x => $"{x.At:0}:{x.Us / 1000:0.0}").ToList();
            roundLines.Add(string.Create(CultureInfo.InvariantCulture,
                $"- round {round + 1}: p50 {RuntimeBench.Percentile(us, 50):0} µs, p99 {RuntimeBench.Percentile(us, 99):0} µs; {slow.Count} calls over 2 ms{(slow.Count > 0 ? " (at ms: took ms) " + string.Join(' ', slow.Take(12)) : "")}"));
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; sandbox {catalog.Sandbox}; settings {(tuned ? "tuned (Runtime:MinIdlePerFunction=16, MaxConcurrencyPerFunction=16)" : "defaults")}{(environment.Count > 0 ? "; environment " + string.Join(' ', environment) : "")}; API {apiDll ?? "this build"}; warm-up {warmUpSeconds:0} s of calls.");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"| path (node echo, warm, sequential; {rounds} × {calls} calls) | p50 µs | p99 µs | p50 vs floor |");
        report.AppendLine("|---|---|---|---|");
        Row(report, "floor: adapter client → adapter over its Unix socket", floor, floor);
        Row(report, "HTTP `POST /api/functions/{id}/invoke`", sequential, floor);
        report.AppendLine(CultureInfo.InvariantCulture, $"\nPlatform overhead over the floor: p50 {(RuntimeBench.Percentile(sequential, 50) - RuntimeBench.Percentile(floor, 50)) / 1000:0.00} ms, p99 {(RuntimeBench.Percentile(sequential, 99) - RuntimeBench.Percentile(floor, 99)) / 1000:0.00} ms.\n");
        roundLines.ForEach(line => report.AppendLine(line));
        report.AppendLine();
        if (args.Contains("--sequential-only"))
        {
            Console.WriteLine(report.ToString());
            await StopApiAsync();
            return;
        }

        using var echo = BareEcho.Start(node.ExecutablePath, port + 1);
        var echoUrl = $"http://127.0.0.1:{port + 1}/";
        async Task EchoAsync(HttpClient c)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await c.PostAsync(echoUrl, content);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsStringAsync();
        }

        report.AppendLine("| concurrent clients | invokes/s | p50 µs | p99 µs | vs 1 client | bare node HTTP echo, req/s | invoke / echo |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        double? single = null;
        var cpu = new List<(int Clients, CallCpu Invoke, CallCpu Echo)>();
        foreach (var concurrency in new[] { 1, 4, 16 })
        {
            var (rate, latencies, _, invokeCpu) = await ThroughputAsync(port, concurrency, seconds, InvokeAsync, api.Id);
            var (echoRate, _, _, echoCpu) = await ThroughputAsync(port, concurrency, seconds, EchoAsync, echo.Pid);
            single ??= rate;
            cpu.Add((concurrency, invokeCpu, echoCpu));
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {concurrency} | {rate:0} | {RuntimeBench.Percentile(latencies, 50):0} | {RuntimeBench.Percentile(latencies, 99):0} | {rate / single:0.00}× | {echoRate:0} | {rate / echoRate:0.00} |");
        }

        // CPU per call does not swing with the machine's load the way rates do: the figure to compare between runs.
        // Includes what the server does in the background meanwhile (pollers, the pool's memory sampling, the JIT's
        // tier-up): the idle figure below says how much that is per second.
        var idleBefore = ProcessCpu.Snapshot(api.Id);
        await Task.Delay(3000);
        var idleAfter = ProcessCpu.Snapshot(api.Id);
        report.AppendLine(CultureInfo.InvariantCulture, $"\nIdle server after the levels: {ProcessCpu.Own(api.Id, idleBefore, idleAfter) / 3 * 1000:0} ms CPU/s, its child processes {(ProcessCpu.Used(idleBefore, idleAfter) - ProcessCpu.Own(api.Id, idleBefore, idleAfter)) / 3 * 1000:0} ms CPU/s.");
        report.AppendLine("\n| clients | CPU µs per invoke: API process | function processes | load generator | total | projected invokes/s on idle cores | echo: node + load generator µs | projected echo req/s |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (clients, invokeCpu, echoCpu) in cpu)
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {clients} | {invokeCpu.ServerUs:0} | {invokeCpu.ChildrenUs:0} | {invokeCpu.ClientUs:0} | {invokeCpu.TotalUs:0} | {invokeCpu.ProjectedRate:0} | {echoCpu.ServerUs:0} + {echoCpu.ClientUs:0} | {echoCpu.ProjectedRate:0} |");
        }

        if (args.Contains("--soak"))
        {
            var (rate, latencies, errors, soakCpu) = await ThroughputAsync(port, 16, 60, InvokeAsync, api.Id, countErrors: true);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"\n60 s at 16 clients: {latencies.Count + errors.Count} invokes, {rate:0}/s, p50 {RuntimeBench.Percentile(latencies, 50):0} µs, p99 {RuntimeBench.Percentile(latencies, 99):0} µs, **{errors.Count} errors**{(errors.Count > 0 ? " (first: " + errors[0] + ")" : "")}; CPU per invoke: API {soakCpu.ServerUs:0} µs, functions {soakCpu.ChildrenUs:0} µs, load generator {soakCpu.ClientUs:0} µs.");
        }

        using (var stats = new HttpClient())
        {
            var metrics = await stats.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            var cold = metrics.Split('\n').Where(l => l.StartsWith("functions_runtime_cold_starts_total", StringComparison.Ordinal)).Select(l => l.Split(' ')[^1]).FirstOrDefault() ?? "?";
            report.AppendLine(CultureInfo.InvariantCulture, $"\nCold starts over the whole run (from /metrics): {cold}.");
        }

        Console.WriteLine(report.ToString());
        await StopApiAsync();
    }

    /// <summary>CPU µs per call: the server process itself, its child processes (the functions), and this load generator.</summary>
    internal sealed record CallCpu(double ServerUs, double ChildrenUs, double ClientUs)
    {
        public double TotalUs => ServerUs + ChildrenUs + ClientUs;

        /// <summary>Calls per second the machine's cores could carry at this cost with nothing else running.</summary>
        public double ProjectedRate => Environment.ProcessorCount * 1e6 / TotalUs;
    }

    private static async Task<(double Rate, List<double> Latencies, List<string> Errors, CallCpu Cpu)> ThroughputAsync(
        int port, int concurrency, double seconds, Func<HttpClient, Task> invoke, int serverPid, bool countErrors = false)
    {
        var clients = Enumerable.Range(0, concurrency).Select(_ => NewClient(port)).ToList();
        foreach (var c in clients)
        {
            await invoke(c); // one warm process per concurrent caller before timing
        }

        var latencies = new List<double>();
        var errors = new List<string>();
        var gate = new Lock();
        var count = 0;
        var serverBefore = ProcessCpu.Snapshot(serverPid);
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(clients.Select(async c =>
        {
            var mine = new List<double>();
            var failed = new List<string>();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var t = Stopwatch.GetTimestamp();
                try
                {
                    await invoke(c);
                    mine.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
                }
                catch (Exception ex) when (countErrors && ex is InvalidOperationException or HttpRequestException)
                {
                    failed.Add(ex.Message);
                }
            }

            lock (gate)
            {
                latencies.AddRange(mine);
                errors.AddRange(failed);
                count += mine.Count;
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var serverAfter = ProcessCpu.Snapshot(serverPid);
        var client = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds;
        var own = ProcessCpu.Own(serverPid, serverBefore, serverAfter);
        var children = ProcessCpu.Used(serverBefore, serverAfter) - own;
        var calls = Math.Max(1, count + errors.Count);
        clients.ForEach(c => c.Dispose());
        return (count / elapsed, latencies, errors, new CallCpu(own * 1e6 / calls, children * 1e6 / calls, client * 1e6 / calls));
    }

    private static void Row(StringBuilder report, string name, List<double> latencies, List<double> floor) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {RuntimeBench.Percentile(latencies, 50):0} | {RuntimeBench.Percentile(latencies, 99):0} | {RuntimeBench.Percentile(latencies, 50) / RuntimeBench.Percentile(floor, 50):0.00}× |");

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <summary>
    /// The API as its own process. <paramref name="apiDll"/> runs another build (e.g. an older commit's, for a
    /// before/after in one session); <paramref name="environment"/> adds <c>NAME=value</c> variables (runtime knobs).
    /// </summary>
    internal static string? ApiDll(string[] args) => Option(args, "--api-dll");

    /// <summary><c>--port N</c>, else <paramref name="fallback"/>.</summary>
    internal static int Port(string[] args, int fallback) =>
        Option(args, "--port") is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : fallback;

    internal static Process StartApi(string data, int port, bool tuned, string? apiDll = null, IEnumerable<string>? environment = null)
    {
        RefuseBusyPort(port);
        var start = new ProcessStartInfo("dotnet", [apiDll ?? Path.Combine(AppContext.BaseDirectory, "FunctionsPlatform.Api.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = data,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Storage__DataDirectory"] = data;
        start.Environment["Bootstrap__AdminKey"] = AdminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var variable in environment ?? [])
        {
            var (name, value) = (variable[..variable.IndexOf('=')], variable[(variable.IndexOf('=') + 1)..]);
            start.Environment[name] = value;
        }

        if (tuned)
        {
            start.Environment["Runtime__MinIdlePerFunction"] = "16";
            start.Environment["Runtime__MaxConcurrencyPerFunction"] = "16";
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("api: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// A server left on the port (a failed run's) would answer in place of the one started here, and its figures would
    /// be reported as this build's: refuse to start instead.
    /// </summary>
    private static void RefuseBusyPort(int port)
    {
        using var probe = new System.Net.Sockets.TcpClient();
        try
        {
            probe.Connect(System.Net.IPAddress.Loopback, port);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return;
        }

        throw new InvalidOperationException($"Port {port} is already in use; stop what listens there or pass another --port.");
    }

    /// <summary>Kills the server when a run ends early (an exception): it must not outlive the run that started it.</summary>
    internal sealed class KillOnDispose(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }

    internal static HttpClient NewClient(int port)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    internal static async Task WaitHealthyAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                using var health = await client.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The API did not become healthy.");
    }
}
