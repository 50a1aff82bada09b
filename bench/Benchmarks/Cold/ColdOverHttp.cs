using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// Cold calls through the real API: two servers (generic processes off / on), a new function per round with code of its
/// own (a comment naming it, so no earlier round's bundle is on disk), <c>POST /api/functions/{id}/invoke</c> timed by the
/// client, rounds alternated with a bare interpreter run. The code is put into the function's default version in place,
/// which pre-warms nothing, so those first calls are cold. Then, on the second server, a new version is made the default
/// (pre-warm on activation, the default) and the first call after it is timed: it should find a process waiting.
/// </summary>
internal static class ColdOverHttp
{
    private const string AdminKey = "bench_cold_admin_key_0123456789ab";

    public static async Task RunAsync(string data, int runs, RuntimeInfo node, RuntimeInfo python)
    {
        using var plain = StartApi(Path.Combine(data, "http-plain"), 5201, generic: 0, prewarm: 0);
        using var special = StartApi(Path.Combine(data, "http-special"), 5202, generic: 2, prewarm: 1);
        try
        {
            using var plainClient = Client(5201);
            using var specialClient = Client(5202);
            await InvokeBench.WaitHealthyAsync(plainClient);
            await InvokeBench.WaitHealthyAsync(specialClient);
            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"Through `POST /api/functions/{{id}}/invoke` (client-timed, a new function per call; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):");
            report.AppendLine();
            report.AppendLine("| runtime | path | p50 ms | p99 ms | p50 vs bare | server-reported initDurationMs p50 |");
            report.AppendLine("|---|---|---|---|---|---|");
            foreach (var runtime in new[] { node, python })
            {
                var bare = new List<double>();
                var cold = new List<double>();
                var coldInit = new List<double>();
                var specialized = new List<double>();
                var specializedInit = new List<double>();
                var activated = new List<double>();
                for (var round = 0; round <= runs; round++)
                {
                    var bareMs = Bare(runtime);
                    var (plainMs, plainInit) = await ColdInvokeAsync(plainClient, runtime, $"{runtime.Key}-p-{round}");
                    await Task.Delay(TimeSpan.FromSeconds(2)); // the generic process taken last round is refilled in the background
                    var (specialMs, specialInit) = await ColdInvokeAsync(specialClient, runtime, $"{runtime.Key}-s-{round}");
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    var activatedMs = await InvokeAfterActivationAsync(specialClient, runtime, $"{runtime.Key}-a-{round}");
                    if (round == 0)
                    {
                        continue;
                    }

                    bare.Add(bareMs);
                    cold.Add(plainMs);
                    coldInit.Add(plainInit);
                    specialized.Add(specialMs);
                    specializedInit.Add(specialInit);
                    activated.Add(activatedMs);
                }

                var bareP50 = RuntimeBench.Percentile(bare, 50);
                report.AppendLine(CultureInfo.InvariantCulture, $"| {runtime.Key} | bare interpreter, empty environment | {bareP50:0.0} | {RuntimeBench.Percentile(bare, 99):0.0} | 1.00× | |");
                report.AppendLine(CultureInfo.InvariantCulture, $"| {runtime.Key} | invoke, cold, process started | {RuntimeBench.Percentile(cold, 50):0.0} | {RuntimeBench.Percentile(cold, 99):0.0} | {RuntimeBench.Percentile(cold, 50) / bareP50:0.00}× | {RuntimeBench.Percentile(coldInit, 50):0} |");
                report.AppendLine(CultureInfo.InvariantCulture, $"| {runtime.Key} | invoke, cold, specialized | **{RuntimeBench.Percentile(specialized, 50):0.0}** | {RuntimeBench.Percentile(specialized, 99):0.0} | {RuntimeBench.Percentile(specialized, 50) / bareP50:0.00}× | {RuntimeBench.Percentile(specializedInit, 50):0} |");
                report.AppendLine(CultureInfo.InvariantCulture, $"| {runtime.Key} | invoke, first call after set-default (pre-warmed, warm) | {RuntimeBench.Percentile(activated, 50):0.0} | {RuntimeBench.Percentile(activated, 99):0.0} | {RuntimeBench.Percentile(activated, 50) / bareP50:0.00}× | 0 |");
            }

            var metrics = await specialClient.GetStringAsync("/metrics");
            var lines = metrics.Split('\n').Where(l => l.StartsWith("functions_runtime_specializations_total", StringComparison.Ordinal)).ToList();
            report.AppendLine();
            report.AppendLine("Specializations on the second server (from /metrics): " + (lines.Count == 0 ? "none" : string.Join("; ", lines)));
            Console.WriteLine(report.ToString());
        }
        finally
        {
            foreach (var api in new[] { plain, special })
            {
                api.Kill(entireProcessTree: true);
                await api.WaitForExitAsync();
            }
        }
    }

    private static async Task<(double Total, double Init)> ColdInvokeAsync(HttpClient client, RuntimeInfo runtime, string name)
    {
        var function = await CreateFunctionAsync(client, runtime, name);
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        (await client.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { CodeOf(runtime, name) } })).EnsureSuccessStatusCode();
        var (total, answer) = await InvokeAsync(client, function["id"]!.GetValue<string>());
        if (answer["coldStart"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"expected a cold invoke: {answer.ToJsonString()}");
        }

        return (total, answer["initDurationMs"]!.GetValue<double>());
    }

    /// <summary>A new version made the default (pre-warmed in the background), then its first call: client-timed.</summary>
    private static async Task<double> InvokeAfterActivationAsync(HttpClient client, RuntimeInfo runtime, string name)
    {
        var function = await CreateFunctionAsync(client, runtime, name);
        var functionId = function["id"]!.GetValue<string>();
        var created = await client.PostAsJsonAsync("/api/function-versions", new { functionId, name = "v2", files = new[] { CodeOf(runtime, name) } });
        created.EnsureSuccessStatusCode();
        var versionId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        (await client.PostAsync($"/api/function-versions/{versionId}/set-default", null)).EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // the pre-warm runs in the background after the answer
        var (total, answer) = await InvokeAsync(client, functionId);
        if (answer["coldStart"]?.GetValue<bool>() != false)
        {
            throw new InvalidOperationException($"expected the first call after activation to be warm: {answer.ToJsonString()}");
        }

        return total;
    }

    private static async Task<JsonObject> CreateFunctionAsync(HttpClient client, RuntimeInfo runtime, string name)
    {
        var created = await client.PostAsJsonAsync("/api/functions", runtime.Key == "python"
            ? new { workspaceId = "default", name, runtime = runtime.Id }
            : (object)new { workspaceId = "default", name });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Code of its own per function (a comment naming it): a first call never finds an equal bundle from an earlier round.</summary>
    private static object CodeOf(RuntimeInfo runtime, string name) => runtime.Key == "python"
        ? new { path = "main.py", content = $"# {name}\ndef main(context):\n    return context.res.json({{'ok': True}})\n" }
        : new { path = "index.js", content = $"// {name}\nmodule.exports = async ({{ res }}) => res.json({{ ok: true }});" };

    private static async Task<(double Total, JsonNode Answer)> InvokeAsync(HttpClient client, string functionId)
    {
        using var content = new StringContent("""{"args":{}}""", Encoding.UTF8, "application/json");
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync($"/api/functions/{functionId}/invoke", content);
        var text = await response.Content.ReadAsStringAsync();
        var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var answer = JsonNode.Parse(text)!;
        if (!response.IsSuccessStatusCode || answer["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"expected a successful invoke: {(int)response.StatusCode} {text}");
        }

        return (total, answer);
    }

    private static double Bare(RuntimeInfo runtime)
    {
        var info = new ProcessStartInfo(runtime.ExecutablePath) { UseShellExecute = false };
        info.Environment.Clear();
        info.ArgumentList.Add(runtime.Key == "node" ? "-e" : "-c");
        info.ArgumentList.Add("0");
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        process.WaitForExit();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static HttpClient Client(int port)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private static Process StartApi(string data, int port, int generic, int prewarm)
    {
        Directory.CreateDirectory(data);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "FunctionsPlatform.Api.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = data,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Storage__DataDirectory"] = data;
        start.Environment["Bootstrap__AdminKey"] = AdminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Runtime__GenericPerRuntime"] = generic.ToString(CultureInfo.InvariantCulture);
        start.Environment["Runtime__PrewarmOnActivate"] = prewarm.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"api {port}: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
