using FunctionsPlatform.Infrastructure;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Bundles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>A real executor over a throw-away data directory, with real interpreters.</summary>
internal sealed class RuntimeTestHost : IDisposable
{
    public RuntimeTestHost(Action<RuntimeOptions>? configure = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "fp-tests-" + Guid.NewGuid().ToString("N")[..8], "data");
        var options = new RuntimeOptions { Sandbox = "auto", IdleTimeoutSeconds = 60, QueueTimeoutMs = 500 };
        configure?.Invoke(options);
        Catalog = new RuntimeCatalog(Options.Create(options), NullLogger<RuntimeCatalog>.Instance);
        Bundles = new BundleStore(new StorageOptions { DataDirectory = DataDirectory }, Options.Create(options));
        Executor = new ProcessRuntimeExecutor(Catalog, Bundles, Options.Create(options), NullLogger<ProcessRuntimeExecutor>.Instance);
    }

    public string DataDirectory { get; }
    public RuntimeCatalog Catalog { get; }
    public BundleStore Bundles { get; }
    public ProcessRuntimeExecutor Executor { get; }

    public string NodeId => Catalog.Runtimes.Single(r => r.Key == "node").Id;
    public string PythonId => Catalog.Runtimes.Single(r => r.Key == "python").Id;

    public static RuntimeInvocation Invocation(
        string runtimeId, string entrypoint, string code, RuntimeRequest? request = null, string functionId = "fun_test",
        IReadOnlyDictionary<string, string>? variables = null, int timeoutSeconds = 10, string specification = "s-1vcpu-512mb",
        params CodeFile[] extraFiles) =>
        new(functionId, "Test function", runtimeId, CodeBundle.FromFiles(entrypoint, [new CodeFile(entrypoint, code), .. extraFiles]),
            request ?? RuntimeRequest.Create(), RuntimeLimits.FromSpecification(specification, timeoutSeconds))
        {
            Variables = variables ?? new Dictionary<string, string>(),
            DeploymentId = "dep_1",
        };

    public Task<RuntimeResult> RunAsync(RuntimeInvocation invocation) => Executor.ExecuteAsync(invocation, CancellationToken.None);

    public void Dispose()
    {
        Executor.Dispose();
        Bundles.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One executor shared by the fixtures that need no special settings: warm processes make the suite fast.</summary>
[SetUpFixture]
public sealed class SharedRuntime
{
    internal static RuntimeTestHost Host { get; private set; } = null!;

    [OneTimeSetUp]
    public void Start() => Host = new RuntimeTestHost();

    [OneTimeTearDown]
    public void Stop() => Host.Dispose();
}
