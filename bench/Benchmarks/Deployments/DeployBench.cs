using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// /v1 deployments over real loopback HTTP against the API started as its own process (Release build, SQLite, build
/// workers, a temp data directory): (1) <c>createDeployment</c> of a small node function without commands until
/// <c>getDeployment</c> says <c>ready</c>, against the upload request alone (the 202) in the same run; (2) a 50 MB
/// archive uploaded in Appwrite's 5 MiB chunks, sequentially (as the CLI) and chunks 2..n 8 at a time (as node-appwrite),
/// against the same bytes POSTed to a sink that only reads them (the loopback floor, same client); (3) the same 50 MB through
/// node-appwrite 27.1.0's <c>functions.createDeployment</c> (<c>sdk-upload.cjs</c>, needs node and the acceptance
/// project's <c>npm ci</c>), against the server and against the sink answering the protocol (the SDK's own floor);
/// (4) the server's resident memory before and after the 50 MB uploads, against a 5 MB one.
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- deploy [--quick] [--rounds N] [--warmup-seconds S] [--api-dll PATH]</c>
/// (<c>--api-dll</c> runs another build of the API, for a before/after in one sitting; warm-up 30 s, none with <c>--quick</c>).
/// </summary>
public static class DeployBench
{
    private const string AdminKey = "bench_deploy_admin_key_0123456789abcdef";
    private const int Chunk = 5 * 1024 * 1024;

    public static async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var rounds = Option(args, "--rounds") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : quick ? 1 : 3;
        var apiDll = Option(args, "--api-dll");
        var warmup = TimeSpan.FromSeconds(Option(args, "--warmup-seconds") is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : quick ? 0 : 30);
        var data = Directory.CreateTempSubdirectory("fp-deploy-bench-").FullName;
        var port = FreePort();
        using var server = StartServer(port, data, apiDll: apiDll);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Add("X-Appwrite-Key", AdminKey);
            client.DefaultRequestHeaders.Add("X-Appwrite-Project", "default");
            client.DefaultRequestHeaders.Add("X-Appwrite-Response-Format", "1.9.5");
            await WaitUntilUpAsync(client);
            var fn = await CreateFunctionAsync(client);

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; one client, sequential samples; API {apiDll ?? "this build"}.");
            report.AppendLine();
            await ReadyLatencyAsync(client, fn, quick ? 10 : 40, report);
            report.AppendLine();
            await ThroughputAsync(client, fn, rounds, warmup, report, server.Id, port);
            Console.WriteLine(report);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task ReadyLatencyAsync(HttpClient client, string fn, int samples, StringBuilder report)
    {
        var archive = TarGz("module.exports = async ({ res }) => res.json({ ok: true });");
        var accepted = new List<double>();
        var ready = new List<double>();
        for (var i = 0; i < samples + 2; i++)
        {
            var clock = Stopwatch.StartNew();
            using var form = Form(archive);
            var created = JsonNode.Parse(await Expect(await client.PostAsync($"/v1/functions/{fn}/deployments", form), HttpStatusCode.Accepted))!;
            var answered = clock.Elapsed.TotalMilliseconds;
            var id = created["$id"]!.GetValue<string>();
            while (true)
            {
                var status = JsonNode.Parse(await Expect(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}"), HttpStatusCode.OK))!["status"]!.GetValue<string>();
                if (status == "ready")
                {
                    break;
                }

                if (status is "failed" or "canceled")
                {
                    throw new InvalidOperationException($"Deployment {id} ended {status}.");
                }

                await Task.Delay(2);
            }

            if (i >= 2)
            {
                // The first two warm the server's paths (JIT, connection pool).
                accepted.Add(answered);
                ready.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        report.AppendLine("| createDeployment (small node function, no commands) | samples | p50 ms | p90 ms | p99 ms | p50 vs upload alone |");
        report.AppendLine("|---|---|---|---|---|---|");
        Row(report, "upload request → 202 (baseline)", accepted, Percentile(accepted, 50));
        Row(report, "upload request → getDeployment says ready", ready, Percentile(accepted, 50));
    }

    private static async Task ThroughputAsync(HttpClient client, string fn, int rounds, TimeSpan warmup, StringBuilder report, int serverPid, int port)
    {
        var archive = new byte[50 * 1000 * 1000];
        Random.Shared.NextBytes(archive);
        var small = archive[..(5 * 1000 * 1000)];
        await UploadChunkedAsync(client, fn, small, parallelism: 1); // the chunk path warmed, and the memory a 5 MB upload needs
        await UploadChunkedAsync(client, fn, small, parallelism: 8);
        // A young server spends much of its CPU in the JIT (tiering up with PGO for a minute or more): warm-up uploads
        // bring the measured rounds nearer the steady state of a server that has been up for a while.
        var warmed = Stopwatch.StartNew();
        var warmups = 0;
        while (warmed.Elapsed < warmup)
        {
            await UploadChunkedAsync(client, fn, archive, parallelism: 1);
            await UploadChunkedAsync(client, fn, archive, parallelism: 8);
            warmups += 2;
        }

        var (rssSmall, peakSmall) = Memory(serverPid);
        var template = JsonNode.Parse(await Expect(await client.GetAsync($"/v1/functions/{fn}/deployments"), HttpStatusCode.OK))!["deployments"]![0]!.AsObject();
        await using var sink = new UploadSink((JsonObject)template.DeepClone());

        var floor = new Measured();
        var sequential = new Measured();
        var parallel = new Measured();
        for (var round = 0; round < rounds; round++)
        {
            await floor.TimeAsync(serverPid, async () =>
            {
                using var form = Form(archive);
                await Expect(await client.PostAsync($"http://127.0.0.1:{sink.Port}/sink", form), HttpStatusCode.Accepted);
            }, archive.Length);
            await sequential.TimeAsync(serverPid, () => UploadChunkedAsync(client, fn, archive, parallelism: 1), archive.Length);
            await parallel.TimeAsync(serverPid, () => UploadChunkedAsync(client, fn, archive, parallelism: 8), archive.Length);
        }

        var (sdkFloor, sdkNote) = await SdkUploadAsync(sink.Port, fn, archive, rounds, serverPid);
        var (sdk, _) = await SdkUploadAsync(port, fn, archive, rounds, serverPid);
        var (rssLarge, peakLarge) = Memory(serverPid);

        report.AppendLine("| 50 MB archive upload over loopback | rounds | median MB/s | vs sink | vs the SDK's floor | server CPU ms per upload | client CPU ms per upload |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        var baseline = Percentile(floor.MBps, 50);
        var sdkBaseline = sdkFloor.MBps.Count > 0 ? Percentile(sdkFloor.MBps, 50) : double.NaN;
        foreach (var (name, values, sdkRow) in new[]
                 {
                     ("same bytes to a read-and-discard sink (floor)", floor, false), ("10 chunks of 5 MiB, one at a time (CLI order, HttpClient)", sequential, false),
                     ("first chunk, then 2..10 eight at a time (node-appwrite's order, HttpClient)", parallel, false),
                     ("node-appwrite 27.1.0 `functions.createDeployment` to the sink answering the protocol (the SDK's floor)", sdkFloor, true),
                     ("node-appwrite 27.1.0 `functions.createDeployment`", sdk, true),
                 })
        {
            report.AppendLine(values.MBps.Count == 0
                ? $"| {name} | 0 | {sdkNote} | | | | |"
                : string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {values.MBps.Count} | {Percentile(values.MBps, 50):0} | {Percentile(values.MBps, 50) / baseline:0.00}× | {(sdkRow ? (Percentile(values.MBps, 50) / sdkBaseline).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "")} | {values.ServerCpuMs.Average():0} | {values.ClientCpuMs.Average():0} |"));
        }

        report.AppendLine();
        report.AppendLine("CPU per upload: the server process's user + system time (/proc), and the client's (this process for HttpClient and the sink, the node process for the SDK), averaged over the rounds; robust to the machine's load where MB/s is not.");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Server memory: resident {rssSmall / 1024:0} MiB (peak {peakSmall / 1024:0} MiB) after two 5 MB uploads; {rssLarge / 1024:0} MiB (peak {peakLarge / 1024:0} MiB) after {warmups + (3 * rounds) + 1} more of 50 MB ({warmups} of them warm-up; {peakLarge / (double)peakSmall:0.00}× the peak).");
    }

    /// <summary>MB/s of each upload, with the CPU the server and the client spent on it.</summary>
    private sealed class Measured
    {
        public List<double> MBps { get; } = [];
        public List<double> ServerCpuMs { get; } = [];
        public List<double> ClientCpuMs { get; } = [];

        public async Task TimeAsync(int serverPid, Func<Task> upload, long bytes)
        {
            var (server, client) = (CpuMs(serverPid), Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
            var clock = Stopwatch.StartNew();
            await upload();
            MBps.Add(bytes / 1e6 / clock.Elapsed.TotalSeconds);
            ServerCpuMs.Add(CpuMs(serverPid) - server);
            ClientCpuMs.Add(Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - client);
        }
    }

    /// <summary>User + system CPU time of a process so far, ms (Linux /proc; clock ticks of 10 ms).</summary>
    internal static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>Resident and peak resident set of the server, KiB (Linux /proc).</summary>
    private static (long Rss, long Peak) Memory(int pid)
    {
        long Field(string name) => long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (Field("VmRSS:"), Field("VmHWM:"));
    }

    /// <summary>
    /// The archive through the real SDK to the server on <paramref name="port"/>, <paramref name="rounds"/> times in one node
    /// process after one upload that warms node's HTTP stack; MB/s per upload.
    /// </summary>
    private static async Task<(Measured Result, string Note)> SdkUploadAsync(int port, string fn, byte[] archive, int rounds, int serverPid)
    {
        var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../Deployments/sdk-upload.cjs"));
        var sdk = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(script)!, "../../../tests/Sdk.AcceptanceTests/node_modules/node-appwrite"));
        if (!File.Exists(script) || !Directory.Exists(sdk))
        {
            return (new Measured(), "not run: `cd tests/Sdk.AcceptanceTests && npm ci` first");
        }

        var path = Path.Combine(Path.GetTempPath(), $"fp-sdk-upload-{Guid.NewGuid():N}.tar.gz");
        await File.WriteAllBytesAsync(path, archive);
        try
        {
            var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { script, $"http://127.0.0.1:{port}/v1", "default", AdminKey, fn, path, (rounds + 1).ToString(CultureInfo.InvariantCulture), serverPid.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            if (node.ExitCode != 0)
            {
                throw new InvalidOperationException($"sdk-upload.cjs failed: {await errors}");
            }

            var measured = new Measured();
            foreach (var result in (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => JsonNode.Parse(line)!))
            {
                measured.MBps.Add(result["bytes"]!.GetValue<long>() / 1e6 / (result["ms"]!.GetValue<double>() / 1000));
                measured.ClientCpuMs.Add(result["cpuMs"]!.GetValue<double>());
                measured.ServerCpuMs.Add(result["serverCpuMs"]!.GetValue<double>());
            }

            return (measured, "");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Uploads in Appwrite's chunks, from the first request sent to the last answer.</summary>
    private static async Task UploadChunkedAsync(HttpClient client, string fn, byte[] archive, int parallelism)
    {
                var first = JsonNode.Parse(await SendChunkAsync(client, fn, archive, 0, null))!;
        var id = first["$id"]!.GetValue<string>();
        var chunks = (archive.Length + Chunk - 1) / Chunk;
        await Parallel.ForEachAsync(Enumerable.Range(1, chunks - 1), new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            async (index, _) => await SendChunkAsync(client, fn, archive, index, id));
        // Every chunk answered 202 after its bytes were stored; the last one also assembled the archive.
    }

    private static async Task<string> SendChunkAsync(HttpClient client, string fn, byte[] archive, int index, string? id)
    {
        var start = index * Chunk;
        var end = Math.Min(start + Chunk, archive.Length) - 1;
        using var form = Form(archive.AsMemory(start, end - start + 1).ToArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/functions/{fn}/deployments") { Content = form };
        form.Headers.TryAddWithoutValidation("Content-Range", $"bytes {start}-{end}/{archive.Length}");
        if (id is not null)
        {
            request.Headers.Add("x-appwrite-id", id);
        }

        return await Expect(await client.SendAsync(request), HttpStatusCode.Accepted);
    }

    private static void Row(StringBuilder report, string name, List<double> ms, double baselineP50) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {ms.Count} | {Percentile(ms, 50):0.0} | {Percentile(ms, 90):0.0} | {Percentile(ms, 99):0.0} | {Percentile(ms, 50) / baselineP50:0.00}× |");

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    internal static MultipartFormDataContent Form(byte[] code, string? commands = null, bool activate = false)
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent("index.js"), "entrypoint");
        if (commands is not null)
        {
            form.Add(new StringContent(commands), "commands");
        }

        var file = new ByteArrayContent(code);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "code", "code.tar.gz");
        form.Add(new StringContent(activate ? "true" : "false"), "activate");
        return form;
    }

    internal static byte[] TarGz(string indexJs)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "index.js") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(indexJs)) });
        }

        return buffer.ToArray();
    }

    internal static async Task<string> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == status ? body : throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
    }

    internal static async Task<string> CreateFunctionAsync(HttpClient client)
    {
        var runtimes = JsonNode.Parse(await Expect(await client.GetAsync("/v1/functions/runtimes"), HttpStatusCode.OK))!;
        var node = runtimes["runtimes"]!.AsArray().Select(r => r!["$id"]!.GetValue<string>()).First(id => id.StartsWith("node-", StringComparison.Ordinal));
        using var content = new StringContent($$"""{"functionId":"unique()","name":"bench","runtime":"{{node}}","entrypoint":"index.js"}""", Encoding.UTF8, "application/json");
        return JsonNode.Parse(await Expect(await client.PostAsync("/v1/functions", content), HttpStatusCode.Created))!["$id"]!.GetValue<string>();
    }

    internal static async Task WaitUntilUpAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/v1/functions/runtimes")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The API as its own process (its Release build beside this one), so client and server do not share a runtime.</summary>
    internal static Process StartServer(int port, string data, IReadOnlyDictionary<string, string>? environment = null, string? apiDll = null)
    {
        var api = apiDll ?? Path.Combine(AppContext.BaseDirectory, "FunctionsPlatform.Api.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(api);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Storage__DataDirectory"] = data;
        start.Environment["Bootstrap__AdminKey"] = AdminKey;
        start.Environment["Scheduling__Enabled"] = "false";
        start.Environment["Deployments__MaxSizeBytes"] = "60000000"; // the 50 MB archive is over the 30 MB default
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The API did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine("[api] " + line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
