using FunctionsPlatform.Infrastructure;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Bundles;
using FunctionsPlatform.Infrastructure.Runtime.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// Runtime executor benchmark: the floor (our adapter client straight to a warm adapter), the executor warm (latency and
/// throughput at 1/4/16 concurrent) and cold starts against bare <c>node -e 0</c> / <c>python3 -c 0</c>.
/// Writes docs/benchmarks-runtime.md. Usage: <c>dotnet run -c Release --project bench/Benchmarks -- runtime [--quick]</c>.
/// </summary>
public static class RuntimeBench
{
    internal const string NodeCode = "module.exports = async ({ req, res }) => res.json({ ok: true, echo: req.bodyText });";
    private const string PythonCode = "def main(context):\n    return context.res.json({'ok': True, 'echo': context.req.body_text})\n";
    internal const string Payload = """{"hello":"world"}""";

    public static async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var warmCalls = quick ? 500 : 3000;
        var coldRuns = quick ? 5 : 25;
        var throughputSeconds = quick ? 1.0 : 3.0;
        var report = new StringBuilder();
        var data = Path.Combine(Path.GetTempPath(), "fp-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new RuntimeOptions
        {
            MaxConcurrencyPerFunction = 16,
            MinIdlePerFunction = 16,
            MaxProcesses = 32,
            QueueTimeoutMs = 30_000,
            Sandbox = args.Contains("--no-sandbox") ? "none" : "auto",
            UseCgroups = !args.Contains("--no-cgroups"),
        };
        var catalog = new RuntimeCatalog(Options.Create(options), NullLogger<RuntimeCatalog>.Instance);
        using var bundles = new BundleStore(new StorageOptions { DataDirectory = data }, Options.Create(options));
        using var executor = new ProcessRuntimeExecutor(catalog, bundles, Options.Create(options), NullLogger<ProcessRuntimeExecutor>.Instance);
        var node = catalog.Runtimes.First(r => r.Key == "node");
        var python = catalog.Runtimes.First(r => r.Key == "python");

        Line(report, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformationText()}; node {node.Version}, python {python.Version}; sandbox {catalog.Sandbox}, cgroups {executor.Cgroups}.");
        Line(report, "");

        // 1. Floor: our adapter client (same framing as the executor) straight to a warm adapter over its Unix socket, no executor, no sandbox.
        var floorNode = await MeasureFloorAsync(node, NodeCode, "index.js", warmCalls);
        var floorPython = await MeasureFloorAsync(python, PythonCode, "main.py", warmCalls);

        // 2. Through the executor, warm.
        var nodeInvocation = Invocation(node, "index.js", NodeCode, "fun_bench_node");
        var pythonInvocation = Invocation(python, "main.py", PythonCode, "fun_bench_py");
        var warmNode = await MeasureWarmAsync(executor, nodeInvocation, warmCalls);
        var warmPython = await MeasureWarmAsync(executor, pythonInvocation, warmCalls);

        Line(report, "## Warm invoke latency (sequential, µs)");
        Line(report, "");
        Line(report, "| path | p50 | p90 | p99 | ratio p50 vs floor |");
        Line(report, "|---|---|---|---|---|");
        Row(report, "node: floor (client → adapter, UDS)", floorNode, floorNode);
        Row(report, "node: executor warm", warmNode, floorNode);
        Row(report, "python: floor (client → adapter, UDS)", floorPython, floorPython);
        Row(report, "python: executor warm", warmPython, floorPython);
        Line(report, "");

        Line(report, "## Warm throughput through the executor (node, invokes/s)");
        Line(report, "");
        Line(report, "| concurrent callers | invokes/s | p50 µs | p99 µs | vs 1 caller |");
        Line(report, "|---|---|---|---|---|");
        double? single = null;
        foreach (var concurrency in new[] { 1, 4, 16 })
        {
            var (rate, latencies) = await MeasureThroughputAsync(executor, nodeInvocation, concurrency, throughputSeconds);
            single ??= rate;
            Line(report, $"| {concurrency} | {rate:0} | {Percentile(latencies, 50):0} | {Percentile(latencies, 99):0} | {rate / single.Value:0.00}× |");
        }

        Line(report, "");

        // 3. Cold starts against the bare interpreters, same environment hygiene (env -i). The pool's processes are
        // killed first, and each kill is given time to finish, so process teardown is not measured as start-up.
        executor.EvictFunction(nodeInvocation.FunctionId);
        executor.EvictFunction(pythonInvocation.FunctionId);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var (bareNode, coldNode) = await MeasureColdAgainstBareAsync(executor, nodeInvocation, node.ExecutablePath, ["-e", "0"], coldRuns);
        var (barePython, coldPython) = await MeasureColdAgainstBareAsync(executor, pythonInvocation, python.ExecutablePath, ["-c", "0"], coldRuns);
        Line(report, $"## Cold start (first call of a new process, ms, median of {coldRuns})");
        Line(report, "");
        Line(report, "| runtime | bare interpreter | executor cold call | overhead | ratio |");
        Line(report, "|---|---|---|---|---|");
        Line(report, $"| node | {Median(bareNode):0.0} (`node -e 0`) | {Median(coldNode):0.0} | +{Median(coldNode) - Median(bareNode):0.0} | {Median(coldNode) / Median(bareNode):0.00}× |");
        Line(report, $"| python | {Median(barePython):0.0} (`python3 -c 0`) | {Median(coldPython):0.0} | +{Median(coldPython) - Median(barePython):0.0} | {Median(coldPython) / Median(barePython):0.00}× |");
        Line(report, "");
        Line(report, "The cold call includes the limits written into a parked launcher's cgroups, the sandbox (bwrap), the adapter start, loading the code and the first request.");
        Line(report, "");
        var (startNode, firstNode) = await MeasureColdPartsAsync(executor, nodeInvocation, coldRuns);
        var (startPython, firstPython) = await MeasureColdPartsAsync(executor, pythonInvocation, coldRuns);
        Line(report, "Breakdown (medians, ms): process start until the adapter is listening / first request on the fresh process:");
        Line(report, "");
        Line(report, "| runtime | start → ready | first request |");
        Line(report, "|---|---|---|");
        Line(report, $"| node | {Median(startNode):0.0} | {Median(firstNode):0.0} |");
        Line(report, $"| python | {Median(startPython):0.0} | {Median(firstPython):0.0} |");

        Line(report, "");
        Line(report, $"Load average during the run: {LoadAverage()} (the 2-core box may be shared with other builds: read the ratios, not the absolute numbers).");
        Line(report, "");
        Line(report, Notes);
        executor.Dispose();
        Console.WriteLine(report);
        var docs = FindRepoFile("docs");
        var text = "# Runtime executor benchmark\n\nReproduce: `dotnet run -c Release --project bench/Benchmarks -- runtime`\n\n"
            + $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.\n\n" + report;
        await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks-runtime.md"), text);
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private const string Notes = """
        ## How to read it

        - **Floor**: our adapter client (`AdapterChannel`, the executor's own framing) straight to a warm adapter over its
          Unix socket, no executor, no sandbox. The executor adds the concurrency gate, the bundle hash and pool lookup and
          the timeout timer. Both are timed after a second of warm-up, so tiered JIT has settled.
        - **Concurrency**: one request at a time per warm process, so 4 or 16 callers use 4 or 16 processes on 2 cores; the
          executor, the caller and the interpreters share the same 2 cores, which is why the rate does not grow with callers here.
        - **Cold start**: bare = `Process.Start` of the interpreter with an empty environment until it exits, alternated with
          the cold calls so both see the same load. The cold call takes a parked launcher (a `sh` already inside fresh
          cgroups), writes the limits, and has it exec `bwrap` → interpreter → adapter (rlimits are shell builtins); then
          loading the function and the first request. The pool refills after the call. A burst of cold starts beyond
          `Runtime:ParkedLaunchers` pays the cgroup attach again (~10–30 ms on v1). `Runtime:PrewarmCount` and
          `IRuntimeExecutor.PrewarmAsync` move all of it off the request path.
        - Python is resolved to its real executable at start (a pyenv shim costs tens of ms per spawn). Bare python here
          includes the site-packages `.pth` hooks of this machine's interpreter, which the adapter pays too.
        """;

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static RuntimeInvocation Invocation(RuntimeInfo runtime, string entrypoint, string code, string functionId) =>
        new(functionId, "bench", runtime.Id, CodeBundle.FromFiles(entrypoint, [new CodeFile(entrypoint, code)]),
            RuntimeRequest.Create("POST", "/", Payload, [new("content-type", "application/json")]), RuntimeLimits.FromSpecification("s-1vcpu-512mb", 15));

    internal static async Task<List<double>> MeasureFloorAsync(RuntimeInfo runtime, string code, string entrypoint, int calls)
    {
        var dir = Directory.CreateTempSubdirectory("fp-floor-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, entrypoint), code);
        var socket = Path.Combine(dir, "s");
        var adapter = Path.Combine(AppContext.BaseDirectory, "Runtime", "Adapters", runtime.Key, runtime.Key == "node" ? "adapter.cjs" : "adapter.py");
        var info = new ProcessStartInfo(runtime.ExecutablePath) { RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        if (runtime.Key == "python")
        {
            info.ArgumentList.Add("-I");
        }

        foreach (var a in new[] { adapter, socket, Path.Combine(dir, entrypoint) })
        {
            info.ArgumentList.Add(a);
        }

        var spawned = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        await process.StandardOutput.ReadLineAsync();
        Console.Error.WriteLine($"raw adapter start ({runtime.Key}, no wrappers): {Stopwatch.GetElapsedTime(spawned).TotalMilliseconds:0.0} ms");
        using var channel = await AdapterChannel.ConnectAsync(socket, 4 << 20, CancellationToken.None);
        var request = RuntimeRequest.Create("POST", "/", Payload, [new("content-type", "application/json")]);
        async Task Once() => await channel.ExchangeAsync(request, CancellationToken.None);

        var latencies = await TimeCallsAsync(Once, calls);
        process.Kill(entireProcessTree: true);
        Directory.Delete(dir, recursive: true);
        return latencies;
    }

    private static Task<List<double>> MeasureWarmAsync(ProcessRuntimeExecutor executor, RuntimeInvocation invocation, int calls) =>
        TimeCallsAsync(async () => Check(await executor.ExecuteAsync(invocation, CancellationToken.None)), calls);

    internal static async Task<List<double>> TimeCallsAsync(Func<Task> call, int calls)
    {
        // Warm up for a second: long enough for tiered JIT to replace the first-tier code of every path measured.
        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            await call();
        }

        var latencies = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return latencies;
    }

    private static async Task<(double Rate, List<double> Latencies)> MeasureThroughputAsync(ProcessRuntimeExecutor executor, RuntimeInvocation invocation, int concurrency, double seconds)
    {
        // Warm the pool to the concurrency level first: we measure warm throughput, not process starts.
        await executor.PrewarmAsync(invocation, concurrency, CancellationToken.None);
        var latencies = new List<double>();
        var gate = new Lock();
        var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var count = 0;
        var colds = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t = Stopwatch.GetTimestamp();
                var result = Check(await executor.ExecuteAsync(invocation, CancellationToken.None));
                if (result.ColdStart)
                {
                    Interlocked.Increment(ref colds);
                }

                var us = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
                lock (gate)
                {
                    latencies.Add(us);
                    count++;
                }
            }
        }));
        if (colds > 0)
        {
            Console.Error.WriteLine($"warning: {colds} cold starts during the {concurrency}-caller throughput run");
        }

        return (count / Stopwatch.GetElapsedTime(started).TotalSeconds, latencies);
    }

    /// <summary>Bare interpreter runs and executor cold calls, alternated so both see the same load.</summary>
    private static async Task<(List<double> Bare, List<double> Cold)> MeasureColdAgainstBareAsync(
        ProcessRuntimeExecutor executor, RuntimeInvocation invocation, string executable, string[] bareArguments, int runs)
    {
        var bare = new List<double>();
        var cold = new List<double>();
        for (var i = 0; i < runs + 1; i++)
        {
            var bareTime = MeasureBare(executable, bareArguments);
            executor.EvictFunction(invocation.FunctionId);
            await Task.Delay(200); // Let the evicted process die off the measured path.
            var start = Stopwatch.GetTimestamp();
            var result = Check(await executor.ExecuteAsync(invocation, CancellationToken.None));
            if (!result.ColdStart)
            {
                throw new InvalidOperationException("expected a cold start");
            }

            if (i > 0)
            {
                bare.Add(bareTime);
                cold.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        return (bare, cold);
    }

    private static async Task<(List<double> Start, List<double> FirstRequest)> MeasureColdPartsAsync(ProcessRuntimeExecutor executor, RuntimeInvocation invocation, int runs)
    {
        var start = new List<double>();
        var first = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            executor.EvictFunction(invocation.FunctionId);
            await Task.Delay(200);
            var t0 = Stopwatch.GetTimestamp();
            await executor.PrewarmAsync(invocation, 1, CancellationToken.None);
            var t1 = Stopwatch.GetTimestamp();
            Check(await executor.ExecuteAsync(invocation, CancellationToken.None));
            start.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
            first.Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
        }

        return (start, first);
    }

    private static double MeasureBare(string executable, string[] args)
    {
        var info = new ProcessStartInfo(executable) { UseShellExecute = false };
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var start = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static RuntimeResult Check(RuntimeResult result) =>
        result.Succeeded ? result : throw new InvalidOperationException($"bench call failed: {result.Failure} {result.Errors}");

    private static void Row(StringBuilder report, string name, List<double> latencies, List<double> floor) =>
        Line(report, $"| {name} | {Percentile(latencies, 50):0} | {Percentile(latencies, 90):0} | {Percentile(latencies, 99):0} | {Percentile(latencies, 50) / Percentile(floor, 50):0.00}× |");

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static double Median(List<double> values) => Percentile(values, 50);

    private static void Line(StringBuilder report, string text)
    {
        report.Append(text).Append('\n');
    }

    private static string RuntimeInformationText() =>
        System.Runtime.InteropServices.RuntimeInformation.OSDescription + ", .NET " + Environment.Version.ToString(3).ToString(CultureInfo.InvariantCulture);

    private static string FindRepoFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsPlatform.sln")))
            {
                var path = Path.Combine(dir.FullName, name);
                Directory.CreateDirectory(path);
                return path;
            }
        }

        return Directory.CreateDirectory(name).FullName;
    }
}
