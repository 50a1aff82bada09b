using System.Diagnostics;
using System.Net.Http.Headers;

namespace FunctionsPlatform.Benchmarks.Querying;

/// <summary>
/// Starts the real API (the Api assembly next to this one) on the benchmark database and times list requests over
/// HTTP, so the runner's figures can be compared with what a client sees (auth, MediatR pipeline, JSON).
/// </summary>
internal sealed class HttpListMeasurement : IAsyncDisposable
{
    private const string AdminKey = "bench_admin_key_0123456789abcdef";
    private readonly Process _api;

    private HttpListMeasurement(Process api, HttpClient client)
    {
        _api = api;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<HttpListMeasurement> StartAsync(string databasePath, int port)
    {
        var dataDirectory = Path.Combine(Path.GetDirectoryName(databasePath)!, $"api-{Path.GetFileNameWithoutExtension(databasePath)}");
        Directory.CreateDirectory(dataDirectory);
        var link = Path.Combine(dataDirectory, "functions.db");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, databasePath);
        }

        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "FunctionsPlatform.Api.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Bootstrap__AdminKey"] = AdminKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var api = Process.Start(start)!;
        api.OutputDataReceived += (_, _) => { };
        api.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("api: " + e.Data); } };
        api.BeginOutputReadLine();
        api.BeginErrorReadLine();

        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var health = await client.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (attempt < 120)
            {
            }

            await Task.Delay(500);
        }
        return new HttpListMeasurement(api, client);
    }

    public async Task GetAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body.Contains("\"data\":[]", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_api.HasExited)
        {
            _api.Kill(entireProcessTree: true);
            await _api.WaitForExitAsync();
        }

        _api.Dispose();
    }
}
