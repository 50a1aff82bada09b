using System.Runtime.InteropServices;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Bundles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>
/// The real executor over a throw-away data directory, with the real interpreters and the real bubblewrap sandbox.
/// Without bwrap the tests are Inconclusive, unless <c>FUNCTIONS_REQUIRE_SANDBOX=1</c> (CI), where they fail.
/// </summary>
internal sealed class SecurityHost : IDisposable
{
    public SecurityHost(Action<RuntimeOptions>? configure = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "fp-sectests-" + Guid.NewGuid().ToString("N")[..8], "data");
        Options = new RuntimeOptions { Sandbox = "auto", IdleTimeoutSeconds = 60, QueueTimeoutMs = 2000 };
        configure?.Invoke(Options);
        Catalog = new RuntimeCatalog(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<RuntimeCatalog>.Instance);
        Bundles = new BundleStore(new Infrastructure.StorageOptions { DataDirectory = DataDirectory }, Microsoft.Extensions.Options.Options.Create(Options));
        Executor = new ProcessRuntimeExecutor(Catalog, Bundles, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<ProcessRuntimeExecutor>.Instance);
    }

    public string DataDirectory { get; }
    public RuntimeOptions Options { get; }
    public RuntimeCatalog Catalog { get; }
    public BundleStore Bundles { get; }
    public ProcessRuntimeExecutor Executor { get; }

    public string NodeId => Catalog.Runtimes.Single(r => r.Key == "node").Id;
    public string PythonId => Catalog.Runtimes.Single(r => r.Key == "python").Id;

    public string RuntimeId(string key) => key == "node" ? NodeId : PythonId;

    /// <summary>The host uid sandboxed code must run as: the configured one when the server is root, else anything but root.</summary>
    public int? ExpectedUid => Environment.IsPrivilegedProcess ? Options.SandboxUserId : null;

    public static RuntimeInvocation Invocation(
        string runtimeId, string entrypoint, string code, string functionId, RuntimeRequest? request = null,
        IReadOnlyDictionary<string, string>? variables = null, string specification = "s-1vcpu-512mb", params CodeFile[] extraFiles) =>
        new(functionId, "Hostile function", runtimeId, CodeBundle.FromFiles(entrypoint, [new CodeFile(entrypoint, code), .. extraFiles]),
            request ?? RuntimeRequest.Create(), RuntimeLimits.FromSpecification(specification, 20))
        {
            Variables = variables ?? new Dictionary<string, string>(),
            DeploymentId = "dep_1",
        };

    public Task<RuntimeResult> RunAsync(RuntimeInvocation invocation) => Executor.ExecuteAsync(invocation, CancellationToken.None);

    /// <summary>Runs hostile code in node (<c>index.js</c>) or python (<c>main.py</c>).</summary>
    public Task<RuntimeResult> RunAsync(string runtime, string code, string functionId, RuntimeRequest? request = null,
        IReadOnlyDictionary<string, string>? variables = null, params CodeFile[] extraFiles) =>
        RunAsync(Invocation(RuntimeId(runtime), runtime == "node" ? "index.js" : "main.py", code, functionId, request, variables, extraFiles: extraFiles));

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

/// <summary>One sandbox for the fixtures that need no special settings; the whole run happens under umask 077, as the server's.</summary>
[SetUpFixture]
public sealed class SharedSandbox
{
    internal static SecurityHost Host { get; private set; } = null!;

    /// <summary>Fails (CI, <c>FUNCTIONS_REQUIRE_SANDBOX=1</c>) or reports Inconclusive when bubblewrap is not in force.</summary>
    internal static void Require(SecurityHost host) => Require(host.Catalog);

    internal static void Require(RuntimeCatalog catalog)
    {
        if (catalog.Sandbox == RuntimeCatalog.SandboxBubblewrap)
        {
            return;
        }

        const string reason = "bubblewrap is not installed or cannot create namespaces here (apt-get install -y bubblewrap)";
        if (Environment.GetEnvironmentVariable("FUNCTIONS_REQUIRE_SANDBOX") == "1")
        {
            Assert.Fail(reason + "; FUNCTIONS_REQUIRE_SANDBOX=1 requires it.");
        }

        Assert.Inconclusive(reason + ".");
    }

    [OneTimeSetUp]
    public void Start()
    {
        _ = NativeMethods.umask(0x3F); // 077
        Host = new SecurityHost();
    }

    [OneTimeTearDown]
    public void Stop() => Host.Dispose();

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA5392
        [DllImport("libc")]
        public static extern uint umask(uint mask);
#pragma warning restore SYSLIB1054, CA5392
    }
}

/// <summary>Host-side views of a sandboxed process tree.</summary>
internal static class HostProcesses
{
    /// <summary>Every descendant of <paramref name="pid"/> (the launcher, which became bwrap), deepest last.</summary>
    public static List<int> Descendants(int pid)
    {
        var result = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out var current))
        {
            string children;
            try
            {
                children = File.ReadAllText($"/proc/{current}/task/{current}/children");
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>The interpreter running our adapter, found from the host side under the launcher's pid.</summary>
    public static int Interpreter(int launcherPid) =>
        Descendants(launcherPid).Last(pid => Cmdline(pid).Contains("adapter", StringComparison.Ordinal));

    public static string Cmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>A <c>Name:\tvalue</c> line of <c>/proc/&lt;pid&gt;/status</c>.</summary>
    public static string Status(int pid, string field) =>
        File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim();
}
