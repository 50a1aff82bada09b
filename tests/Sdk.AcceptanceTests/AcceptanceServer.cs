using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

// In the root namespace: NUnit applies a SetUpFixture to the tests of its namespace and below.
namespace FunctionsPlatform.Sdk.AcceptanceTests;

/// <summary>
/// The real API on Kestrel (a free loopback port, its own temp data directory and admin key), driven by the official
/// clients from npm: node-appwrite 27.1.0 (node scripts under <c>scenarios/</c>) and appwrite-cli 12.0.1.
/// </summary>
[SetUpFixture]
public sealed class AcceptanceServer
{
    public const string AdminKey = "fp_acceptance_admin_key_0123456789";
    public const string DefaultWorkspace = "default";

    private static WebApplicationFactory<Program>? _factory;

    public static string DataDirectory { get; private set; } = "";
    public static string Endpoint { get; private set; } = "";

    /// <summary>The one directory git deployments may clone from (<c>Vcs:AllowedRepositories</c>).</summary>
    public static string GitRepositories => Path.Combine(DataDirectory, "git-allowed");
    public static string ProjectDirectory { get; } = typeof(AcceptanceServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AcceptanceDirectory").Value!;

    [OneTimeSetUp]
    public void Start()
    {
        Assert.That(Directory.Exists(Path.Combine(ProjectDirectory, "node_modules", "node-appwrite")), Is.True,
            $"node_modules missing in {ProjectDirectory}: run `npm ci` there (the Test.Acceptance target does).");
        DataDirectory = Path.Combine(Path.GetTempPath(), "fp-acceptance-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(GitRepositories);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("urls", "http://127.0.0.1:0");
            web.UseSetting("Storage:DataDirectory", DataDirectory);
            web.UseSetting("Bootstrap:AdminKey", AdminKey);
            web.UseSetting("Vcs:AllowedRepositories:0", GitRepositories);
            web.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Endpoint = address.TrimEnd('/') + "/v1";
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The temp directory is disposable.
        }
    }

    public static HttpClient AdminClient() => new()
    {
        BaseAddress = new Uri(Endpoint[..^"/v1".Length]),
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey) },
    };

    /// <summary>A fresh workspace with an owner and a key carrying every functions/executions scope.</summary>
    public static async Task<(string WorkspaceId, string Key)> CreateWorkspaceAsync()
    {
        using var admin = AdminClient();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var user = await ReadAsync(await admin.PostAsJsonAsync("/api/users", new { name = $"user {suffix}", email = $"u{suffix}@example.test" }));
        var workspaceId = $"ws-{suffix}";
        await ReadAsync(await admin.PostAsJsonAsync("/api/workspaces", new { name = $"workspace {suffix}", id = workspaceId }));
        await ReadAsync(await admin.PostAsJsonAsync($"/api/workspaces/{workspaceId}/members", new { userId = user["id"]!.GetValue<string>(), role = "owner" }));
        var key = await ReadAsync(await admin.PostAsJsonAsync("/api/api-keys", new
        {
            name = $"key {suffix}",
            scopes = new[] { "functions.read", "functions.write", "executions.read", "executions.write" },
            userId = user["id"]!.GetValue<string>(),
        }));
        return (workspaceId, key["token"]!.GetValue<string>());
    }

    /// <summary>
    /// A function of <paramref name="workspaceId"/> whose default version holds <paramref name="code"/> as <c>index.js</c>:
    /// code goes in through /api until /v1 deployments exist on this branch. Returns its id.
    /// </summary>
    public static async Task<string> CreateFunctionWithCodeAsync(string workspaceId, string name, string code)
    {
        using var admin = AdminClient();
        var function = await ReadAsync(await admin.PostAsJsonAsync("/api/functions", new { workspaceId, name }));
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        await ReadAsync(await admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { new { path = "index.js", content = code } } }));
        return function["id"]!.GetValue<string>();
    }

    /// <summary>Echoes the request it was given as JSON and logs its path.</summary>
    public const string EchoCode = """
        module.exports = async ({ req, res, log }) => {
          log('ran ' + req.path);
          return res.json({ method: req.method, path: req.path, query: req.queryString, body: req.bodyText, custom: req.headers['x-custom'] ?? null });
        };
        """;

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, text);
        return JsonNode.Parse(text)!;
    }

    /// <summary>Runs a program (by default from the project folder, where node resolves node_modules) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new AssertionException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within 120 s.");
        }

        return (process.ExitCode, await output, await error);
    }
}
