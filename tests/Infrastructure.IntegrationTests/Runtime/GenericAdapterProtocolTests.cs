using System.Diagnostics;
using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Processes;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>
/// The adapters' generic mode at the protocol level, without the executor or the sandbox: started with a socket and no
/// entrypoint, they take one specialization frame (entrypoint, concurrency, memory, environment), answer it, then serve
/// that function only; anything else first is refused by exiting.
/// </summary>
public sealed class GenericAdapterProtocolTests
{
    private const string NodeCode = """
        module.exports = async ({ req, res }) => {
          await new Promise((r) => setTimeout(r, Number(req.bodyText) || 0));
          return res.json({ env: process.env, argv: process.argv.slice(2), body: req.bodyText });
        };
        """;

    private const string PythonCode = """
        import asyncio, os, sys
        async def main(context):
            await asyncio.sleep(int(context.req.body_text or '0') / 1000)
            return context.res.json({'env': dict(os.environ), 'argv': sys.argv[1:], 'body': context.req.body_text})
        """;

    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "fp-generic-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "index.js"), NodeCode);
        File.WriteAllText(Path.Combine(_directory, "main.py"), PythonCode);
        File.WriteAllText(Path.Combine(_directory, "broken.js"), "module.exports = async (");
        File.WriteAllText(Path.Combine(_directory, "broken.py"), "def main(context):\n    return (");
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase("node", 1)]
    [TestCase("node", 3)]
    [TestCase("python", 1)]
    [TestCase("python", 3)]
    public async Task Specialization_ReplacesTheWholeEnvironment_LoadsTheEntrypoint_AndServesItWithTheGivenConcurrency(string runtime, int concurrency)
    {
        using var adapter = await GenericAdapter.StartAsync(runtime, _directory);
        using var channel = await adapter.ConnectAsync();

        var loaded = await channel.LoadAsync(Entrypoint(runtime), concurrency, 256,
            new Dictionary<string, string> { ["FN_VAR"] = "v1", ["PATH"] = "/usr/bin:/bin" }, CancellationToken.None);
        Assert.That(loaded.StatusCode, Is.EqualTo(200), loaded.Errors);

        // Two calls at once, the first slower: with concurrency above 1 the second answers first; with 1 it waits for
        // the first (timed, not ordered: two replies read back to back may resume their callers in either order).
        var slow = channel.ExchangeAsync(RuntimeRequest.Create(body: "400"), CancellationToken.None);
        await Task.Delay(50);
        var quickStarted = System.Diagnostics.Stopwatch.StartNew();
        var quick = channel.ExchangeAsync(RuntimeRequest.Create(body: "0"), CancellationToken.None);
        var firstDone = await Task.WhenAny(slow, quick);
        await quick;
        var quickWaited = quickStarted.Elapsed;
        var replies = await Task.WhenAll(slow, quick);

        using var body = JsonDocument.Parse(replies[1].Body);
        var env = body.RootElement.GetProperty("env").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(replies.Select(r => r.StatusCode), Is.All.EqualTo(200));
            if (concurrency > 1)
            {
                Assert.That(firstDone, Is.SameAs(quick), "served beside the slow call");
            }
            else
            {
                Assert.That(quickWaited, Is.GreaterThan(TimeSpan.FromMilliseconds(250)), "queued behind the slow call");
            }

            Assert.That(env, Does.Contain("FN_VAR").And.Contain("PATH"));
            Assert.That(env, Does.Not.Contain("BOOT_ONLY"), "the boot environment is gone");
            Assert.That(body.RootElement.GetProperty("env").GetProperty("FN_VAR").GetString(), Is.EqualTo("v1"));
            Assert.That(body.RootElement.GetProperty("argv").EnumerateArray().Last().GetString(), Is.EqualTo(Entrypoint(runtime)),
                "argv ends with the entrypoint, as for a process started for it");
        });
    }

    [TestCase("node", "broken.js")]
    [TestCase("python", "broken.py")]
    public async Task CodeThatFailsToLoad_IsAnswered500WithTheError_ThenTheAdapterExits3(string runtime, string file)
    {
        using var adapter = await GenericAdapter.StartAsync(runtime, _directory);
        using var channel = await adapter.ConnectAsync();

        var loaded = await channel.LoadAsync(Path.Combine(_directory, file), 1, 256, new Dictionary<string, string>(), CancellationToken.None);

        Assert.That(loaded.StatusCode, Is.EqualTo(500));
        Assert.That(loaded.Errors, Does.StartWith($"Failed to load {file}:").And.Contain("SyntaxError"));
        Assert.That(await adapter.ExitCodeAsync(), Is.EqualTo(3));
    }

    [TestCase("node")]
    [TestCase("python")]
    public async Task ARequestBeforeTheSpecialization_IsNeverServed_TheAdapterExits3(string runtime)
    {
        using var adapter = await GenericAdapter.StartAsync(runtime, _directory);
        using var channel = await adapter.ConnectAsync();

        var exchange = channel.ExchangeAsync(RuntimeRequest.Create(body: "0"), CancellationToken.None);

        Assert.That(await adapter.ExitCodeAsync(), Is.EqualTo(3));
        Assert.That(adapter.StandardError, Does.Contain("must be its one specialization"));
        Assert.ThrowsAsync(Is.InstanceOf<IOException>(), async () => await exchange);
    }

    private string Entrypoint(string runtime) => Path.Combine(_directory, runtime == "node" ? "index.js" : "main.py");

    /// <summary>One adapter started in generic mode (no sandbox), with a boot-only variable in its environment.</summary>
    private sealed class GenericAdapter : IDisposable
    {
        private readonly Process _process;
        private readonly string _socket;
        private readonly Task<string> _stderr;

        private GenericAdapter(Process process, string socket)
        {
            _process = process;
            _socket = socket;
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public string StandardError => _stderr.IsCompleted ? _stderr.Result : "";

        public static async Task<GenericAdapter> StartAsync(string runtime, string directory)
        {
            var info = SharedRuntime.Host.Catalog.Runtimes.Single(r => r.Key == runtime);
            var adapters = Path.Combine(AppContext.BaseDirectory, "Runtime", "Adapters");
            var start = new ProcessStartInfo(info.ExecutablePath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = directory,
            };
            if (runtime == "python")
            {
                start.ArgumentList.Add("-I");
                start.ArgumentList.Add("-B");
            }

            var socket = Path.Combine(directory, "s-" + runtime);
            start.ArgumentList.Add(Path.Combine(adapters, runtime == "node" ? "node/adapter.cjs" : "python/adapter.py"));
            start.ArgumentList.Add(socket);
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
            start.Environment["BOOT_ONLY"] = "boot";
            var process = Process.Start(start)!;
            var adapter = new GenericAdapter(process, socket);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.That(await process.StandardOutput.ReadLineAsync(timeout.Token), Is.EqualTo("FP-READY"), adapter.StandardError);
            return adapter;
        }

        public Task<AdapterChannel> ConnectAsync() => AdapterChannel.ConnectAsync(_socket, 1 << 22, CancellationToken.None);

        public async Task<int> ExitCodeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(timeout.Token);
            await _stderr;
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(2000);
            }

            _process.Dispose();
        }
    }
}
