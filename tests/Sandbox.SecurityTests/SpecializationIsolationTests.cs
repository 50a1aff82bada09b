using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>
/// A process specialized from a generic one starts with nothing of anything else: from inside it, /proc shows its own
/// tree only (no other function's process, no waiting generic process), its environment is its function's (and
/// /proc/self/environ only the boot environment every generic process shares), /code holds its own bundle, /tmp is empty,
/// and another function's code view cannot be reached.
/// </summary>
[NonParallelizable]
public sealed class SpecializationIsolationTests
{
    private const string VictimSecret = "victim-secret-specialized-41c2";
    private const string AttackerSecret = "attacker-own-secret-9d0e";

    private const string NodeSnoop = """
        const fs = require('node:fs');
        const read = (p) => { try { return fs.readFileSync(p, 'latin1'); } catch (e) { return 'denied:' + e.code; } };
        const list = (p) => { try { return fs.readdirSync(p); } catch (e) { return ['denied:' + e.code]; } };
        module.exports = async ({ req, res }) => {
          const pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
          return res.json({
            pids: pids.length, seen: pids.map((p) => read(`/proc/${p}/cmdline`) + read(`/proc/${p}/environ`)).join('\n'),
            selfEnviron: read('/proc/self/environ'), env: process.env, code: list('/code'), tmp: list('/tmp'),
            view: list(req.bodyText), viewFile: read(req.bodyText + '/index.js'),
          });
        };
        """;

    private const string PythonSnoop = """
        import os
        def read(p):
            try:
                with open(p, 'rb') as f:
                    return f.read().decode('latin1')
            except OSError as e:
                return 'denied:' + str(e.errno)
        def listing(p):
            try:
                return os.listdir(p)
            except OSError as e:
                return ['denied:' + str(e.errno)]
        def main(context):
            pids = [d for d in os.listdir('/proc') if d.isdigit()]
            view = context.req.body_text
            return context.res.json({
                'pids': len(pids), 'seen': '\n'.join(read('/proc/%s/cmdline' % p) + read('/proc/%s/environ' % p) for p in pids),
                'selfEnviron': read('/proc/self/environ'), 'env': dict(os.environ), 'code': listing('/code'), 'tmp': listing('/tmp'),
                'view': listing(view), 'viewFile': read(view + '/index.js')})
        """;

    private const string VictimCode = """
        const fs = require('node:fs');
        module.exports = async ({ res }) => { fs.writeFileSync('/tmp/victim.txt', process.env.SECRET); return res.text('ok'); };
        """;

    [TestCase("node")]
    [TestCase("python")]
    public async Task SpecializedProcess_SeesOnlyItsOwnProcessesEnvironmentAndFiles(string runtime)
    {
        using var host = new SecurityHost(o => o.GenericPerRuntime = 2);
        SharedSandbox.Require(host);
        Assert.That(host.Executor.SpecializationEnabled, Is.True, "generic processes need bubblewrap and writable cgroups");
        await WaitForGenericsAsync(host, host.NodeId, 2);
        await WaitForGenericsAsync(host, host.RuntimeId(runtime), 2);

        var victimProcess = host.Executor.GenericProcessIds(host.NodeId)[0];
        var victimView = CodeViewOf(victimProcess);
        var victim = await host.RunAsync(SecurityHost.Invocation(host.NodeId, "index.js", VictimCode, "fun_sv_victim_" + runtime,
            variables: new Dictionary<string, string> { ["SECRET"] = VictimSecret }, extraFiles: new CodeFile("victim-only.txt", VictimSecret)));
        Assert.That(victim.Succeeded, Is.True, victim.Errors);
        Assert.That(victim.ProcessId, Is.EqualTo(victimProcess), "the victim runs in a specialized process");
        await WaitForGenericsAsync(host, host.RuntimeId(runtime), 2);
        var waiting = host.Executor.GenericProcessIds(host.RuntimeId(runtime));

        var attacker = await host.RunAsync(SecurityHost.Invocation(host.RuntimeId(runtime), runtime == "node" ? "index.js" : "main.py",
            runtime == "node" ? NodeSnoop : PythonSnoop, "fun_sv_attacker_" + runtime, RuntimeRequest.Create(body: victimView),
            new Dictionary<string, string> { ["OWN"] = AttackerSecret }));

        Assert.That(attacker.Succeeded, Is.True, attacker.Errors);
        Assert.That(waiting, Does.Contain(attacker.ProcessId), "the attacker runs in a specialized process too");
        Assert.That(host.Executor.GenericProcessIds(host.RuntimeId(runtime)), Is.Not.Empty, "another generic process still waits beside it");
        using var body = JsonDocument.Parse(attacker.BodyText);
        var seen = body.RootElement;
        var selfEnviron = seen.GetProperty("selfEnviron").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(attacker.BodyText, Does.Not.Contain(VictimSecret));
            Assert.That(attacker.BodyText, Does.Not.Contain("victim-only.txt"));
            Assert.That(seen.GetProperty("pids").GetInt32(), Is.LessThanOrEqualTo(4), "its own pid namespace: no generic or other process");
            Assert.That(seen.GetProperty("seen").GetString(), Does.Not.Contain("fun_sv_victim"));
            Assert.That(seen.GetProperty("env").GetProperty("OWN").GetString(), Is.EqualTo(AttackerSecret));
            Assert.That(seen.GetProperty("env").GetProperty("APPWRITE_FUNCTION_ID").GetString(), Is.EqualTo("fun_sv_attacker_" + runtime));
            Assert.That(seen.GetProperty("env").EnumerateObject().Select(p => p.Name), Does.Not.Contain("FP_CONCURRENCY").And.Not.Contain("SECRET"));
            Assert.That(selfEnviron.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=')[0]),
                Is.EquivalentTo(new[] { "PATH", "HOME", "TMPDIR", "LANG", "PWD" }), "/proc/self/environ: the boot environment shared by every generic process");
            Assert.That(selfEnviron, Does.Not.Contain(AttackerSecret), "variables set at specialization never reach the start-up environment");
            Assert.That(seen.GetProperty("code").EnumerateArray().Select(e => e.GetString()),
                Is.EquivalentTo(new[] { ".complete", runtime == "node" ? "index.js" : "main.py" }), "/code holds its own bundle only");
            Assert.That(seen.GetProperty("tmp").EnumerateArray(), Is.Empty, "nothing left in /tmp from the boot or anyone else");
            Assert.That(seen.GetProperty("view")[0].GetString(), Does.StartWith("denied:"), "another function's code view is not reachable");
            Assert.That(seen.GetProperty("viewFile").GetString(), Does.StartWith("denied:"));
        });
    }

    private static async Task WaitForGenericsAsync(SecurityHost host, string runtimeId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (host.Executor.GenericProcessIds(runtimeId).Count < count)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "generic processes were booted");
            await Task.Delay(20);
        }
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
