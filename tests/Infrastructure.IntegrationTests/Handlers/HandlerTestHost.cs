using FunctionsPlatform.Application;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Infrastructure;
using FunctionsPlatform.Infrastructure.Bootstrap;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>
/// Subcutaneous host: the real Application pipeline (behaviours included) and Infrastructure over a SQLite file,
/// without HTTP. The caller is whoever <see cref="Caller"/> says.
/// </summary>
public sealed class HandlerTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _root;

    private HandlerTestHost(ServiceProvider root, string dataDirectory, TestPrincipal caller)
    {
        _root = root;
        DataDirectory = dataDirectory;
        Caller = caller;
    }

    public string DataDirectory { get; }
    public TestPrincipal Caller { get; }
    public IServiceProvider Services => _root;

    /// <param name="configure">Replaces services after the real ones are registered (a manual clock…).</param>
    public static async Task<HandlerTestHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-handlers-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Bootstrap:AdminKey"] = "fp_handler_tests_admin",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddApplication();
        services.AddInfrastructure(configuration);
        var caller = new TestPrincipal();
        services.AddSingleton<ICurrentPrincipal>(caller);
        configure?.Invoke(services);
        var root = services.BuildServiceProvider();
        await root.InitializeDatabaseAsync();
        return new HandlerTestHost(root, dataDirectory, caller);
    }

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = _root.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _root.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temp directory; best effort.
        }
    }
}

public sealed class TestPrincipal : ICurrentPrincipal
{
    public bool IsAuthenticated { get; set; } = true;
    public string UserId { get; set; } = "";
    public bool IsAdmin { get; set; }
    public string? ApiKeyId { get; set; }
    public string? KeyWorkspaceId { get; set; }
    public IReadOnlySet<string> Scopes { get; set; } = new HashSet<string>();
    public bool HasScope(string scope) => Scopes.Contains(scope);
}
