using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>
/// Cold calls served by specializing a generic process (booted, sandboxed, no function yet): the call runs on the generic
/// process, which then belongs to that function for life; failures fall back to a normal start; calls that a generic
/// process could not run exactly as a normal start would are started the normal way.
/// </summary>
[NonParallelizable]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "NUnit's [TearDown] disposes the host after every test.")]
public sealed class SpecializationTests
{
    private const string NodeEcho = """
        const fs = require('node:fs');
        module.exports = async ({ req, res }) => res.json({
          secret: process.env.FN_SECRET ?? null, fn: process.env.APPWRITE_FUNCTION_ID, body: req.bodyText,
          code: fs.readdirSync('/code').sort(), data: fs.readFileSync(__dirname + '/data.txt', 'utf8'), cwd: process.cwd(),
        });
        """;

    private const string PythonEcho = """
        import os
        def main(context):
            with open(os.path.join(os.path.dirname(__file__), 'data.txt')) as f:
                data = f.read()
            return context.res.json({'secret': os.environ.get('FN_SECRET'), 'fn': os.environ.get('APPWRITE_FUNCTION_ID'),
                                     'body': context.req.body_text, 'code': sorted(os.listdir('/code')), 'data': data, 'cwd': os.getcwd()})
        """;

    private RuntimeTestHost _host = null!;

    [SetUp]
    public void StartHost()
    {
        _host = new RuntimeTestHost(o => o.GenericPerRuntime = 1);
        Assume.That(_host.Executor.SpecializationEnabled, Is.True, "needs bubblewrap and writable cgroups");
    }

    [TearDown]
    public void StopHost() => _host.Dispose();

    private string RuntimeId(string runtime) => runtime == "node" ? _host.NodeId : _host.PythonId;

    private static RuntimeInvocation Echo(string runtimeId, string runtime, string functionId, string secret, string specification = "s-1vcpu-512mb") =>
        RuntimeTestHost.Invocation(
            runtimeId, runtime == "node" ? "index.js" : "main.py", runtime == "node" ? NodeEcho : PythonEcho,
            RuntimeRequest.Create("POST", "/", body: "hello"), functionId, new Dictionary<string, string> { ["FN_SECRET"] = secret },
            specification: specification, extraFiles: new CodeFile("data.txt", "data of " + functionId));

    private async Task<int> WaitForGenericAsync(string runtimeId, ICollection<int>? notAmong = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var fresh = _host.Executor.GenericProcessIds(runtimeId).Where(pid => notAmong is null || !notAmong.Contains(pid)).ToList();
            if (fresh.Count > 0)
            {
                return fresh[0];
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "a generic process was booted");
            await Task.Delay(20);
        }
    }

    [TestCase("node")]
    [TestCase("python")]
    public async Task ColdCall_IsServedByTheWaitingGenericProcess_WithTheFunctionsCodeEnvironmentAndCwd(string runtime)
    {
        var runtimeId = RuntimeId(runtime);
        var generic = await WaitForGenericAsync(runtimeId);

        var result = await _host.RunAsync(Echo(runtimeId, runtime, "fun_special_" + runtime, "s-1"));

        Assert.That(result.Succeeded, Is.True, result.Errors);
        using var body = JsonDocument.Parse(result.BodyText);
        Assert.Multiple(() =>
        {
            Assert.That(result.ColdStart, Is.True);
            Assert.That(result.ProcessId, Is.EqualTo(generic), "the generic process served the call");
            Assert.That(_host.Executor.Specializations, Is.EqualTo(1));
            Assert.That(body.RootElement.GetProperty("secret").GetString(), Is.EqualTo("s-1"));
            Assert.That(body.RootElement.GetProperty("fn").GetString(), Is.EqualTo("fun_special_" + runtime));
            Assert.That(body.RootElement.GetProperty("body").GetString(), Is.EqualTo("hello"));
            Assert.That(body.RootElement.GetProperty("data").GetString(), Is.EqualTo("data of fun_special_" + runtime));
            Assert.That(body.RootElement.GetProperty("cwd").GetString(), Is.EqualTo("/code"));
            Assert.That(body.RootElement.GetProperty("code").EnumerateArray().Select(e => e.GetString()),
                Is.EquivalentTo(new[] { ".complete", runtime == "node" ? "index.js" : "main.py", "data.txt" }));
        });
    }

    [TestCase("node")]
    [TestCase("python")]
    public async Task SpecializedProcess_BelongsToOneFunctionForLife_AndNeverReturnsToTheGenericPool(string runtime)
    {
        var runtimeId = RuntimeId(runtime);
        var first = await WaitForGenericAsync(runtimeId);
        var a = await _host.RunAsync(Echo(runtimeId, runtime, "fun_a_" + runtime, "secret-a"));
        Assert.That(a.ProcessId, Is.EqualTo(first), a.Errors);

        var second = await WaitForGenericAsync(runtimeId, notAmong: [first]);
        var b = await _host.RunAsync(Echo(runtimeId, runtime, "fun_b_" + runtime, "secret-b"));
        var aAgain = await _host.RunAsync(Echo(runtimeId, runtime, "fun_a_" + runtime, "secret-a"));

        Assert.Multiple(() =>
        {
            Assert.That(b.ProcessId, Is.EqualTo(second), "the second function got a fresh generic process");
            Assert.That(b.ProcessId, Is.Not.EqualTo(a.ProcessId));
            Assert.That(b.BodyText, Does.Contain("secret-b").And.Not.Contain("secret-a"));
            Assert.That(aAgain.ColdStart, Is.False);
            Assert.That(aAgain.ProcessId, Is.EqualTo(first), "the first function's process stayed its own");
            Assert.That(_host.Executor.GenericProcessIds(runtimeId), Does.Not.Contain(first).And.Not.Contain(second));
        });
    }

    [Test]
    public async Task FailedSpecialization_KillsTheGenericProcess_AndFallsBackToANormalStart()
    {
        var generic = await WaitForGenericAsync(_host.NodeId);
        var view = CodeViewOf(generic);
        // A file already where the bundle's entrypoint must be linked: filling the view fails on the host side.
        File.WriteAllText(Path.Combine(view, "index.js"), "module.exports = async ({ res }) => res.text('planted');");

        var result = await _host.RunAsync(Echo(_host.NodeId, "node", "fun_fallback", "s-f"));

        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.Multiple(() =>
        {
            Assert.That(result.ColdStart, Is.True);
            Assert.That(result.ProcessId, Is.Not.EqualTo(generic), "a process started for the call served it");
            Assert.That(result.BodyText, Does.Contain("s-f").And.Not.Contain("planted"));
            Assert.That(_host.Executor.SpecializationFallbacks, Is.EqualTo(1));
            Assert.That(_host.Executor.Specializations, Is.Zero);
            Assert.That(Directory.Exists($"/proc/{generic}"), Is.False, "the generic process was killed");
            Assert.That(Directory.Exists(view), Is.False, "its code view was removed");
        });
    }

    [TestCase("node", "module.exports = async (", "SyntaxError")]
    [TestCase("python", "def main(context):\n    return (", "SyntaxError")]
    public async Task CodeThatFailsToLoad_IsALoadFailure_AndTheGenericProcessIsNotReused(string runtime, string code, string expected)
    {
        var runtimeId = RuntimeId(runtime);
        var generic = await WaitForGenericAsync(runtimeId);

        var result = await _host.RunAsync(RuntimeTestHost.Invocation(runtimeId, runtime == "node" ? "index.js" : "main.py", code, functionId: "fun_broken_" + runtime));

        Assert.Multiple(() =>
        {
            Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.LoadFailed));
            Assert.That(result.Errors, Does.Contain("Failed to load").And.Contain(expected));
            Assert.That(result.ColdStart, Is.True);
            Assert.That(_host.Executor.SpecializationFallbacks, Is.Zero, "the function's own failure is not retried");
            Assert.That(Directory.Exists($"/proc/{generic}"), Is.False, "the process that loaded it is gone");
            Assert.That(_host.Executor.GenericProcessIds(runtimeId), Does.Not.Contain(generic));
        });
    }

    [TestCase("NODE_OPTIONS", "--no-deprecation", "s-1vcpu-512mb")]
    [TestCase("LD_PRELOAD", "", "s-1vcpu-512mb")]
    [TestCase("FN_OTHER", "x", "s-1vcpu-64mb")]
    public async Task CallsAGenericProcessCouldNotRunAsANormalStartWould_StartTheNormalWay(string variable, string value, string specification)
    {
        var generic = await WaitForGenericAsync(_host.NodeId);
        var invocation = Echo(_host.NodeId, "node", "fun_ineligible", "s-i", specification) with
        {
            Variables = new Dictionary<string, string> { ["FN_SECRET"] = "s-i", [variable] = value },
        };

        var result = await _host.RunAsync(invocation);

        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.Multiple(() =>
        {
            Assert.That(result.ColdStart, Is.True);
            Assert.That(result.ProcessId, Is.Not.EqualTo(generic));
            Assert.That(_host.Executor.Specializations, Is.Zero);
            Assert.That(_host.Executor.GenericProcessIds(_host.NodeId), Does.Contain(generic), "the generic process still waits");
        });
    }

    [Test]
    public async Task TimeoutInASpecializedProcess_KillsItsWholeTree_ChildrenIncluded()
    {
        var generic = await WaitForGenericAsync(_host.NodeId);
        const string code = """
            const { spawn } = require('node:child_process');
            module.exports = async (context) => { spawn('sleep', ['61.5']); await new Promise(() => {}); };
            """;

        var result = await _host.RunAsync(RuntimeTestHost.Invocation(_host.NodeId, "index.js", code, functionId: "fun_special_timeout", timeoutSeconds: 1));

        Assert.Multiple(() =>
        {
            Assert.That(result.ProcessId, Is.EqualTo(generic), "the call ran in the specialized process");
            Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.TimedOut));
            Assert.That(Directory.Exists($"/proc/{generic}"), Is.False);
            Assert.That(Directory.GetDirectories("/proc").Any(d => ReadCmdline(d) == "sleep\061.5\0"), Is.False, "its child is gone too");
        });
    }

    private static string ReadCmdline(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    [Test]
    public async Task EsmInAPlainJsFileOnNode20_StartsTheNormalWay_WithTheFlagItNeeds()
    {
        var generic = await WaitForGenericAsync(_host.NodeId);
        var result = await _host.RunAsync(RuntimeTestHost.Invocation(
            _host.NodeId, "index.js", "export default async ({ res }) => res.text('esm');", functionId: "fun_esm_plain"));

        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.That(result.BodyText, Is.EqualTo("esm"));
        var major = int.Parse(_host.Catalog.Runtimes.Single(r => r.Key == "node").Version, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(_host.Executor.Specializations, Is.EqualTo(major < 22 ? 0 : 1), "node before 22 needs --experimental-detect-module at start");
        Assert.That(result.ProcessId == generic, Is.EqualTo(major >= 22));
    }

    [Test]
    public async Task Dispose_KillsTheGenericProcesses_AndRemovesTheirViews()
    {
        var node = await WaitForGenericAsync(_host.NodeId);
        var python = await WaitForGenericAsync(_host.PythonId);
        var views = new[] { CodeViewOf(node), CodeViewOf(python) };

        _host.Executor.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists($"/proc/{node}"), Is.False);
            Assert.That(Directory.Exists($"/proc/{python}"), Is.False);
            Assert.That(views.Where(Directory.Exists), Is.Empty);
        });
    }

    /// <summary>The host side of a generic process's <c>/code</c>, read from its bwrap command line.</summary>
    private static string CodeViewOf(int launcherPid)
    {
        var arguments = File.ReadAllText($"/proc/{launcherPid}/cmdline").Split('\0');
        var index = Array.FindIndex(arguments, a => a == "/code");
        Assert.That(index, Is.GreaterThan(1), "bwrap binds a view at /code");
        return arguments[index - 1];
    }
}
