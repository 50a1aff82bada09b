using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using FunctionsPlatform.Application;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Application.Deployments.Building;
using FunctionsPlatform.Application.Deployments.Commands.CreateDeployment;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure;
using FunctionsPlatform.Infrastructure.Bootstrap;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Runtime;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>
/// The whole server without HTTP: the Application pipeline and Infrastructure over a SQLite file in a throw-away data
/// directory, so builds go the way they go in production (upload, claim, sandboxed commands, artifact) and their
/// functions run in the real executor.
/// </summary>
internal sealed class BuildHost : IAsyncDisposable
{
    private const string Owner = "security-tests";
    private readonly ServiceProvider _services;

    private BuildHost(ServiceProvider services, string dataDirectory)
    {
        _services = services;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public IServiceProvider Services => _services;

    public ProcessRuntimeExecutor Executor => _services.GetRequiredService<ProcessRuntimeExecutor>();

    public RuntimeCatalog Catalog => _services.GetRequiredService<RuntimeCatalog>();

    public static async Task<BuildHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-buildsec-" + Guid.NewGuid().ToString("N")[..8], "data");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Bootstrap:AdminKey"] = "fp_build_security_admin_key",
            ["Builds:MaxConcurrent"] = "0", // the tests drive each build themselves
            ["Runtime:PrewarmOnActivate"] = "0",
            ["Runtime:AsyncWorkers"] = "0",
            ["Scheduling:Enabled"] = "false",
        }).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddApplication();
        services.AddInfrastructure(configuration);
        var caller = new AdminCaller();
        services.AddSingleton<ICurrentPrincipal>(caller);
        var root = services.BuildServiceProvider();
        await root.InitializeDatabaseAsync();
        await using (var scope = root.CreateAsyncScope())
        {
            caller.UserId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Select(u => u.Id).SingleAsync();
        }

        return new BuildHost(root, dataDirectory);
    }

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public async Task<string> CreateFunctionAsync(string runtime = "node") =>
        (await SendAsync(new CreateFunctionCommand("default", "build-" + Guid.NewGuid().ToString("N")[..8], null, null, null, null,
            Catalog.Runtimes.Single(r => r.Key == runtime).Id, "index.js"))).Id;

    /// <summary>Uploads <paramref name="files"/> as a deployment with <paramref name="commands"/>, claims it as a worker would and builds it to its end.</summary>
    public Task<Deployment> BuildAsync(string functionId, string commands, params (string Path, string Content)[] files) =>
        BuildAsync(functionId, commands, TarGz(files.Length > 0 ? files : [("index.js", "module.exports = async ({ res }) => res.text('built');")]));

    public Task<Deployment> BuildAsync(string functionId, string commands, IEnumerable<(string Path, byte[] Content)> files) =>
        BuildAsync(functionId, commands, TarGz(files));

    private async Task<Deployment> BuildAsync(string functionId, string commands, byte[] archive)
    {
        var uploaded = await SendAsync(new CreateDeploymentCommand(functionId, new DeploymentUploadBody(new MemoryStream(archive), "code.tar.gz", new DeploymentUploadFields(true, Commands: commands))));
        await using (var scope = _services.CreateAsyncScope())
        {
            var claimed = await scope.ServiceProvider.GetRequiredService<IDeploymentBuildLeases>()
                .TryClaimAsync(uploaded.Id, Owner, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.That(claimed, Is.True, "the build could be claimed");
        }

        await _services.GetRequiredService<IDeploymentBuildRunner>().BuildAsync(uploaded.Id, Owner, CancellationToken.None);
        return await RowAsync(uploaded.Id);
    }

    public async Task<Deployment> RowAsync(string deploymentId)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId);
    }

    /// <summary>Runs a ready deployment in the executor, as an execution of its function does.</summary>
    public async Task<RuntimeResult> InvokeAsync(Deployment deployment)
    {
        await using var scope = _services.CreateAsyncScope();
        var function = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Functions.AsNoTracking().SingleAsync(f => f.Id == deployment.FunctionId);
        var invocation = DeploymentInvocations.For(function, deployment, _services.GetRequiredService<IDeploymentArtifacts>(), new Dictionary<string, string>(), RuntimeRequest.Create("GET"), 20);
        return await _services.GetRequiredService<IRuntimeExecutor>().ExecuteAsync(invocation, CancellationToken.None);
    }

    /// <summary>The artifact directories and build work directories on disk now.</summary>
    public (string[] Artifacts, string[] BuildDirectories) Disk() =>
        (List(Path.Combine(DataDirectory, "artifacts")), List(Path.Combine(DataDirectory, "builds")));

    public static byte[] TarGz(IEnumerable<(string Path, string Content)> files) => TarGz(files.Select(f => (f.Path, Encoding.UTF8.GetBytes(f.Content))));

    public static byte[] TarGz(IEnumerable<(string Path, byte[] Content)> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content), Mode = (UnixFileMode)0b110_100_100 });
            }
        }

        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true);
        }
        catch (IOException)
        {
            // Temp directory; best effort.
        }
    }

    private static string[] List(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory).Select(static p => Path.GetFileName(p) ?? "").Order(StringComparer.Ordinal).ToArray() : [];

    private sealed class AdminCaller : ICurrentPrincipal
    {
        public bool IsAuthenticated => true;
        public string UserId { get; set; } = "";
        public bool IsAdmin => true;
        public string? ApiKeyId => null;
        public string? KeyWorkspaceId => null;
        public IReadOnlySet<string> Scopes { get; } = Scope.All;
        public bool HasScope(string scope) => true;
    }
}
