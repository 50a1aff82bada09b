using System.Data.Common;
using System.Net.Http.Headers;
using FunctionsPlatform.Infrastructure.Bootstrap;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Respawn;

// In the root namespace: NUnit applies a SetUpFixture to the tests of its namespace and below.
namespace FunctionsPlatform.Api.FunctionalTests;

/// <summary>
/// Hosts the real API once for the whole run on Kestrel (real HTTP on a loopback port) over a SQLite file in a temp
/// directory. Between tests, Respawn empties the data tables; identity tables (users, keys, workspaces, memberships)
/// are kept so the bootstrap admin stays valid, and tests make their own identities with unique names.
/// </summary>
[SetUpFixture]
public sealed class TestServer
{
    public const string AdminKey = "fp_test_admin_key_0123456789abcdef";
    public const string DefaultWorkspace = "default";

    private static WebApplicationFactory<Program>? _factory;
    private static Respawner? _respawner;

    public static string DataDirectory { get; private set; } = "";
    public static Uri BaseAddress { get; private set; } = null!;

    /// <summary>The one directory git deployments may clone from (<c>Vcs:AllowedRepositories</c>); tests make repositories in it.</summary>
    public static string GitRepositories => Path.Combine(DataDirectory, "git-allowed");

    /// <summary>The operator's template directory (<c>Templates:Directory</c>); tests drop template folders into it.</summary>
    public static string OperatorTemplates => Path.Combine(DataDirectory, "operator-templates");
    public static IServiceProvider Services => _factory!.Services;
    private static string ConnectionString => $"Data Source={Path.Combine(DataDirectory, "functions.db")}";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "fp-functional-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(GitRepositories);
        Directory.CreateDirectory(OperatorTemplates);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            // A free port chosen here rather than by Kestrel: functions are told the API's address before it starts, so
            // their code can call it back with the key each execution gets.
            var port = FreeLoopbackPort();
            web.UseSetting("urls", $"http://127.0.0.1:{port}");
            web.UseSetting("Runtime:ApiEndpoint", $"http://127.0.0.1:{port}/v1");
            web.UseSetting("Storage:DataDirectory", DataDirectory);
            web.UseSetting("Bootstrap:AdminKey", AdminKey);
            web.UseSetting("Vcs:AllowedRepositories:0", GitRepositories);
            web.UseSetting("Templates:Directory", OperatorTemplates);
            web.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _factory.UseKestrel();
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Sqlite,
            TablesToIgnore = ["__EFMigrationsHistory", "users", "api_keys", "workspaces", "memberships"],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A runtime process may still hold a file for a moment; the temp directory is disposable.
        }
    }

    public static async Task ResetAsync()
    {
        await using DbConnection connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
    }

    public static HttpClient CreateClient(string? token = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static string AdminEmail => DatabaseInitializer.AdminEmail;

    private static int FreeLoopbackPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}
