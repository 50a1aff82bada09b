using System.Diagnostics;
using System.Globalization;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure;
using FunctionsPlatform.Infrastructure.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Bundles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// Cold starts, node and python, in one run with the rounds alternated so all see the same load: the bare interpreter
/// with a clean environment (<c>node -e 0</c>, <c>python3 -c 0</c>, until exit), our cold call without specialization
/// (a process started for the call) and with it (a waiting generic process specialized), each through
/// <c>IRuntimeExecutor.ExecuteAsync</c> (what invoke calls) until the first reply. Then what each step of a
/// specialization costs, and how filling a code view compares for hard links and copies.
/// <c>--http</c> also measures the same through <c>POST /api/functions/{id}/invoke</c> on two real servers (one with
/// <c>Runtime:GenericPerRuntime=0</c>, one with the default), a new function per cold call.
/// <c>--http-only</c> runs only that part.
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- cold [--runs N] [--http | --http-only]</c>.
/// </summary>
public static class ColdBench
{
    private const string NodeCode = "module.exports = async ({ req, res }) => res.json({ ok: true, echo: req.bodyText });";
    private const string PythonCode = "def main(context):\n    return context.res.json({'ok': True, 'echo': context.req.body_text})\n";

    public static async Task RunAsync(string[] args)
    {
        var runsAt = Array.IndexOf(args, "--runs");
        var runs = runsAt >= 0 ? int.Parse(args[runsAt + 1], CultureInfo.InvariantCulture) : 31;
        var data = Directory.CreateTempSubdirectory("fp-cold-bench-").FullName;
        if (args.Contains("--http-only"))
        {
            using var options = Executor(Path.Combine(data, "catalog"), generic: 0, out var runtimes, out var unused);
            await ColdOverHttp.RunAsync(data, runs, runtimes.Runtimes.First(r => r.Key == "node"), runtimes.Runtimes.First(r => r.Key == "python"));
            options.Dispose();
            unused.Dispose();
            Directory.Delete(data, recursive: true);
            return;
        }

        var report = new StringBuilder();
        var loadBefore = LoadAverage();
        using var plain = Executor(Path.Combine(data, "plain"), generic: 0, out var catalog, out var plainBundles);
        using var special = Executor(Path.Combine(data, "special"), generic: 1, out _, out var specialBundles);
        var node = catalog.Runtimes.First(r => r.Key == "node");
        var python = catalog.Runtimes.First(r => r.Key == "python");
        if (!special.SpecializationEnabled)
        {
            throw new InvalidOperationException("specialization needs bubblewrap and writable cgroups");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; node {node.Version}, python {python.Version}; sandbox {catalog.Sandbox}, cgroups {special.Cgroups}; {runs} alternated rounds per runtime (first round dropped); load average before {loadBefore}.");
        report.AppendLine();
        report.AppendLine("| runtime | path | p50 ms | p99 ms | p50 vs bare | init (start or specialization) p50 ms |");
        report.AppendLine("|---|---|---|---|---|---|");
        var specializedInit = new Dictionary<string, List<double>>();
        foreach (var (runtime, entrypoint, code, bareArgs) in new[]
        {
            (node, "index.js", NodeCode, new[] { "-e", "0" }),
            (python, "main.py", PythonCode, new[] { "-c", "0" }),
        })
        {
            var bare = new List<double>();
            var cold = new List<double>();
            var coldInit = new List<double>();
            var specialized = new List<double>();
            var specializedInits = specializedInit[runtime.Key] = [];
            for (var round = 0; round <= runs; round++)
            {
                var bareMs = Bare(runtime.ExecutablePath, bareArgs);
                var (coldMs, coldInitMs) = await ColdCallAsync(plain, Invocation(runtime, entrypoint, code, $"fun_plain_{runtime.Key}_{round}"), expectSpecialized: false);
                await WaitForGenericAsync(special, runtime.Id);
                var (specialMs, specialInitMs) = await ColdCallAsync(special, Invocation(runtime, entrypoint, code, $"fun_special_{runtime.Key}_{round}"), expectSpecialized: true);
                if (round == 0)
                {
                    continue;
                }

                bare.Add(bareMs);
                cold.Add(coldMs);
                coldInit.Add(coldInitMs);
                specialized.Add(specialMs);
                specializedInits.Add(specialInitMs);
            }

            var bareP50 = Percentile(bare, 50);
            var command = runtime.Key == "node" ? "`node -e 0`" : "`python3 -c 0`";
            report.AppendLine(CultureInfo.InvariantCulture, $"| {runtime.Key} | bare {command}, empty environment | {bareP50:0.0} | {Percentile(bare, 99):0.0} | 1.00× | |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| {runtime.Key} | cold call, process started for it (`GenericPerRuntime=0`) | {Percentile(cold, 50):0.0} | {Percentile(cold, 99):0.0} | {Percentile(cold, 50) / bareP50:0.00}× | {Percentile(coldInit, 50):0.0} |");
            report.AppendLine(CultureInfo.InvariantCulture, $"| {runtime.Key} | cold call, generic process specialized | **{Percentile(specialized, 50):0.0}** | {Percentile(specialized, 99):0.0} | {Percentile(specialized, 50) / bareP50:0.00}× | {Percentile(specializedInits, 50):0.0} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Load average after: {LoadAverage()}. Specializations {special.Specializations}, fallbacks {special.SpecializationFallbacks}.");
        Console.WriteLine(report.ToString());
        report.Clear();
        report.AppendLine("Filling a code view (the part of a specialization that grows with the bundle), median of 21, ms:");
        report.AppendLine();
        report.AppendLine("| files in the bundle | hard links | copies |");
        report.AppendLine("|---|---|---|");
        foreach (var files in new[] { 1, 10, 100, 900 })
        {
            var (links, copies) = await MeasureFillAsync(specialBundles, files);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {files} | {links:0.000} | {copies:0.000} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Writing the function's limits into a process's cgroups (memory, CPU, pids), median of 21: {MeasureLimits(special):0.000} ms.");
        Console.WriteLine(report.ToString());
        if (args.Contains("--http"))
        {
            await ColdOverHttp.RunAsync(data, runs, node, python);
        }

        plain.Dispose();
        special.Dispose();
        plainBundles.Dispose();
        specialBundles.Dispose();
        Directory.Delete(data, recursive: true);
    }

    private static ProcessRuntimeExecutor Executor(string data, int generic, out RuntimeCatalog catalog, out BundleStore bundles)
    {
        var options = Options.Create(new RuntimeOptions { GenericPerRuntime = generic, PrewarmOnActivate = 0, QueueTimeoutMs = 30_000 });
        catalog = new RuntimeCatalog(options, NullLogger<RuntimeCatalog>.Instance);
        bundles = new BundleStore(new StorageOptions { DataDirectory = data }, options);
        return new ProcessRuntimeExecutor(catalog, bundles, options, NullLogger<ProcessRuntimeExecutor>.Instance);
    }

    private static RuntimeInvocation Invocation(RuntimeInfo runtime, string entrypoint, string code, string functionId) =>
        new(functionId, "bench", runtime.Id, CodeBundle.FromFiles(entrypoint, [new CodeFile(entrypoint, code)]),
            RuntimeRequest.Create("POST", "/", RuntimeBench.Payload, [new("content-type", "application/json")]), RuntimeLimits.FromSpecification("s-1vcpu-512mb", 15));

    /// <summary>One cold call of a function never run before, from the call until its reply; the process is then killed off the measured path.</summary>
    private static async Task<(double Total, double Init)> ColdCallAsync(ProcessRuntimeExecutor executor, RuntimeInvocation invocation, bool expectSpecialized)
    {
        var specializedBefore = executor.Specializations;
        await Task.Delay(150); // let the previous step's background work (refills, kills) settle
        var started = Stopwatch.GetTimestamp();
        var result = await executor.ExecuteAsync(invocation, CancellationToken.None);
        var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!result.Succeeded || !result.ColdStart || (executor.Specializations > specializedBefore) != expectSpecialized)
        {
            throw new InvalidOperationException($"expected a {(expectSpecialized ? "specialized" : "plain")} cold start: {result.Failure} {result.Errors}");
        }

        executor.EvictFunction(invocation.FunctionId);
        return (total, result.InitTime.TotalMilliseconds);
    }

    private static async Task WaitForGenericAsync(ProcessRuntimeExecutor executor, string runtimeId)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        while (executor.GenericProcessIds(runtimeId).Count == 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("no generic process was booted");
            }

            executor.Maintain(); // refills when a background boot failed or was skipped
            await Task.Delay(20);
        }
    }

    private static double Bare(string executable, string[] arguments)
    {
        var info = new ProcessStartInfo(executable) { UseShellExecute = false };
        info.Environment.Clear();
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Median time to fill an empty view with a bundle of <paramref name="files"/> files: hard links against copies.</summary>
    private static async Task<(double Links, double Copies)> MeasureFillAsync(BundleStore bundles, int files)
    {
        var code = Enumerable.Range(0, files).Select(i => new CodeFile(i == 0 ? "index.js" : $"lib/m{i}.js", new string('x', 2048))).ToList();
        var bundle = await bundles.MaterializeAsync(CodeBundle.FromFiles("index.js", code), CancellationToken.None);
        var views = new CodeViews(bundles.Root);
        var entries = views.EntriesOf(bundle) ?? throw new InvalidOperationException("bundle too large for a view");
        var links = new List<double>();
        var copies = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var view = views.Create();
            var started = Stopwatch.GetTimestamp();
            CodeViews.Fill(view, bundle.Directory, entries);
            links.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            CodeViews.Delete(view);

            view = views.Create();
            started = Stopwatch.GetTimestamp();
            foreach (var entry in entries)
            {
                var target = Path.Combine(view, entry.RelativePath);
                if (entry.Kind == BundleEntryKind.Directory)
                {
                    Directory.CreateDirectory(target);
                }
                else
                {
                    File.Copy(Path.Combine(bundle.Directory, entry.RelativePath), target);
                }
            }

            copies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            CodeViews.Delete(view);
        }

        return (Percentile(links, 50), Percentile(copies, 50));
    }

    private static double MeasureLimits(ProcessRuntimeExecutor executor)
    {
        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var group = executor.CgroupControl.Create() ?? throw new InvalidOperationException("no cgroups");
            var started = Stopwatch.GetTimestamp();
            group.Limit(1, 512, 128);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            group.Remove();
        }

        return Percentile(times, 50);
    }

    private static double Percentile(List<double> values, double p) => RuntimeBench.Percentile(values, p);

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
