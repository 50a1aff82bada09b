using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsPlatform.Infrastructure.Runtime.Processes;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// Memory with many functions warm: starts the real API with the default settings on a fresh data directory, creates
/// <c>N</c> functions through <c>/api</c> (nine in ten node, one in ten python), invokes each once so each has a warm
/// process, then reads /proc: the server's RSS, each interpreter's RSS and PSS (shared pages split between the processes
/// that map them), the sum over every runtime process tree, and how much the machine's available memory dropped.
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- memory [functions=100]</c>.
/// </summary>
public static class MemoryBench
{
    private const string NodeCode = "module.exports = async ({ req, res }) => res.json({ ok: true, echo: req.bodyText });";
    private const string PythonCode = "def main(context):\n    return context.res.json({'ok': True, 'echo': context.req.body_text})\n";

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 100;
        const int port = 5195;
        var data = Directory.CreateTempSubdirectory("fp-memory-bench-").FullName;
        var availableBefore = MemAvailableKb();
        using var api = InvokeBench.StartApi(data, port, tuned: false);
        try
        {
            await MeasureAsync(api, port, count, availableBefore);
        }
        finally
        {
            api.Kill(entireProcessTree: true); // also when the run fails: never leave a server and its processes behind
            await api.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task MeasureAsync(Process api, int port, int count, long availableBefore)
    {
        using var client = InvokeBench.NewClient(port);
        await InvokeBench.WaitHealthyAsync(client);
        var pythonRuntime = await PythonRuntimeIdAsync(client);
        var serverIdle = RssKb(api.Id);

        for (var i = 0; i < count; i++)
        {
            var python = i % 10 == 9 && pythonRuntime is not null;
            var created = await client.PostAsJsonAsync("/api/functions", python
                ? new { workspaceId = "default", name = $"mem-{i}", runtime = pythonRuntime }
                : (object)new { workspaceId = "default", name = $"mem-{i}" });
            var function = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
            var versionId = function["defaultVersionId"]!.GetValue<string>();
            var file = python ? new { path = "main.py", content = PythonCode } : new { path = "index.js", content = NodeCode };
            (await client.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { file } })).EnsureSuccessStatusCode();
            using var invoke = await client.PostAsync($"/api/functions/{function["id"]!.GetValue<string>()}/invoke",
                new StringContent("""{"args":{"hello":"world"}}""", Encoding.UTF8, "application/json"));
            invoke.EnsureSuccessStatusCode();
        }

        await Task.Delay(TimeSpan.FromSeconds(6)); // the pool samples process memory every 5 s
        var node = new List<(long Rss, long Pss)>();
        var py = new List<(long Rss, long Pss)>();
        var generic = new List<(long Rss, long Pss)>();
        long treeTotal = 0;
        foreach (var pid in Descendants(api.Id))
        {
            var comm = File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : "";
            var rss = RssKb(pid);
            var pss = ProcessMemory.ProcessKb(pid);
            treeTotal += pss;
            if (comm is "node" or "python3" or "python" && IsGeneric(pid))
            {
                generic.Add((rss, pss)); // waiting to be specialized: no function yet
            }
            else if (comm == "node")
            {
                node.Add((rss, pss));
            }
            else if (comm.StartsWith("python", StringComparison.Ordinal))
            {
                py.Add((rss, pss));
            }
        }

        var serverWarm = RssKb(api.Id);
        var serverWarmPss = ProcessMemory.ProcessKb(api.Id);
        var drop = availableBefore - MemAvailableKb();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {count} functions warm ({node.Count} node, {py.Count} python processes); default settings.");
        report.AppendLine();
        report.AppendLine("| what | RSS MiB | PSS MiB |");
        report.AppendLine("|---|---|---|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| one warm node process (median) | {Median(node.Select(p => p.Rss)) / 1024.0:0.0} | {Median(node.Select(p => p.Pss)) / 1024.0:0.0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| one warm python process (median) | {Median(py.Select(p => p.Rss)) / 1024.0:0.0} | {Median(py.Select(p => p.Pss)) / 1024.0:0.0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| server, started, no function run | {serverIdle / 1024.0:0} | |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| server with {count} functions warm | {serverWarm / 1024.0:0} | {serverWarmPss / 1024.0:0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| generic processes waiting ({generic.Count}), summed | {generic.Sum(p => p.Rss) / 1024.0:0.0} | {generic.Sum(p => p.Pss) / 1024.0:0.0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| every runtime process tree (launcher, bwrap, interpreter), summed | | {treeTotal / 1024.0:0} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| machine's MemAvailable drop, server start → {count} warm | {drop / 1024.0:0} | |");
        report.AppendLine(CultureInfo.InvariantCulture, $"\nPer warm function: {(treeTotal / 1024.0) / Math.Max(1, node.Count + py.Count):0.0} MiB PSS; 200 functions ≈ {serverWarm / 1024.0 + 200 * (treeTotal / 1024.0) / Math.Max(1, node.Count + py.Count):0} MiB with the server.");
        Console.WriteLine(report.ToString());
    }

    private static async Task<string?> PythonRuntimeIdAsync(HttpClient client)
    {
        var health = await client.GetFromJsonAsync<JsonNode>("/health");
        var text = health?.ToJsonString() ?? "";
        var start = text.IndexOf("python-", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = text.IndexOf('"', start);
        return text[start..end];
    }

    private static List<int> Descendants(int root)
    {
        var pids = new List<int> { root };
        for (var i = 0; i < pids.Count; i++)
        {
            // Each thread has its own children file: the server starts processes from many threads.
            var tasks = Directory.Exists($"/proc/{pids[i]}/task") ? Directory.GetDirectories($"/proc/{pids[i]}/task") : [];
            foreach (var path in tasks.Select(t => Path.Combine(t, "children")).Where(File.Exists))
            {
                pids.AddRange(File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
            }
        }

        pids.Remove(root);
        return pids;
    }

    /// <summary>A generic process has nothing at /code yet (seen through its own root, as root on the host).</summary>
    private static bool IsGeneric(int pid)
    {
        try
        {
            return !Directory.EnumerateFileSystemEntries($"/proc/{pid}/root/code").Any();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long RssKb(int pid) => Field($"/proc/{pid}/status", "VmRSS:");

    private static long MemAvailableKb() => Field("/proc/meminfo", "MemAvailable:");

    private static long Field(string path, string name)
    {
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
