using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class WarmPoolTests
{
    private const string PidCode = "module.exports = async ({ res }) => res.text(String(process.pid));";

    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public async Task SecondCall_ReusesTheWarmProcess_WithoutAnyStartCost()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", PidCode, functionId: "fun_warm");

        var cold = await Host.RunAsync(invocation);
        var warm = await Host.RunAsync(invocation);

        Assert.That(cold.ColdStart, Is.True);
        Assert.That(warm.ColdStart, Is.False);
        Assert.That(warm.ProcessId, Is.EqualTo(cold.ProcessId));
        // A specialized cold start can be as quick as a warm call on a busy machine: what differs is the start paid.
        Assert.That(cold.InitTime, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(warm.InitTime, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task EvictFunction_StartsAFreshProcessNextTime()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", PidCode, functionId: "fun_evict");
        var before = await Host.RunAsync(invocation);

        Host.Executor.EvictFunction("fun_evict");
        var after = await Host.RunAsync(invocation);

        Assert.That(after.ColdStart, Is.True);
        Assert.That(after.ProcessId, Is.Not.EqualTo(before.ProcessId));
        await WaitUntil(() => !Directory.Exists($"/proc/{before.ProcessId}"));
    }

    [Test]
    public async Task ChangedVariablesOrCode_NeverReuseAProcessWithStaleState()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js",
            "module.exports = async ({ res }) => res.text(process.env.COLOR ?? 'none');", functionId: "fun_vars",
            variables: new Dictionary<string, string> { ["COLOR"] = "red" });

        var red = await Host.RunAsync(invocation);
        var blue = await Host.RunAsync(invocation with { Variables = new Dictionary<string, string> { ["COLOR"] = "blue" } });
        var newCode = await Host.RunAsync(invocation with { Code = CodeBundle.FromFiles("index.js", [new("index.js", "module.exports = async ({ res }) => res.text('v2');")]) });

        Assert.That((red.BodyText, blue.BodyText, newCode.BodyText), Is.EqualTo(("red", "blue", "v2")));
    }

    [Test]
    public async Task CrashedProcess_IsReplacedNotReused()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js",
            "module.exports = async ({ req, res }) => { if (req.path === '/die') process.exit(7); return res.text('ok'); };", functionId: "fun_crash");
        var first = await Host.RunAsync(invocation);

        var died = await Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/die") });
        var next = await Host.RunAsync(invocation);

        Assert.That(died.Failure, Is.EqualTo(RuntimeFailure.ProcessExited));
        Assert.That(died.Errors, Does.Contain("exited with code 7"));
        Assert.That(next.Succeeded, Is.True);
        Assert.That(next.ProcessId, Is.Not.EqualTo(first.ProcessId));
    }

    [Test]
    public async Task IdleProcesses_AreReapedAfterTheIdleTimeout()
    {
        using var host = new RuntimeTestHost(o => o.IdleTimeoutSeconds = 0);
        var result = await host.RunAsync(RuntimeTestHost.Invocation(host.NodeId, "index.js", PidCode, functionId: "fun_idle"));

        host.Executor.Maintain();

        await WaitUntil(() => !Directory.Exists($"/proc/{result.ProcessId}"));
        Assert.That(host.Executor.LiveProcesses, Is.Zero);
    }

    [Test]
    public async Task ArchiveBundle_IsMaterialisedOnceAndReused()
    {
        var opened = 0;
        var archive = TarGz(("index.js", "module.exports = async ({ res }) => res.text('from tar');"));
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", "", functionId: "fun_tar") with
        {
            Code = CodeBundle.FromArchive("index.js", "dep_tar", _ =>
            {
                Interlocked.Increment(ref opened);
                return Task.FromResult<Stream>(new MemoryStream(archive));
            }),
        };

        var first = await Host.RunAsync(invocation);
        Host.Executor.EvictFunction("fun_tar");
        var second = await Host.RunAsync(invocation);

        Assert.That((first.BodyText, second.BodyText), Is.EqualTo(("from tar", "from tar")), first.Errors);
        Assert.That(opened, Is.EqualTo(1));
    }

    internal static byte[] TarGz(params (string Path, string Content)[] files)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
                });
            }
        }

        return output.ToArray();
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.That(condition(), Is.True);
    }
}
