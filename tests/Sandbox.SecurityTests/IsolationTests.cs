using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>A function cannot see another function's processes, files or environment, even while both run.</summary>
public sealed class IsolationTests
{
    private const string VictimSecret = "victim-secret-7f3a";

    private static SecurityHost Host => SharedSandbox.Host;

    [SetUp]
    public void RequireSandbox() => SharedSandbox.Require(Host);

    [TestCase("node", """
        const fs = require('node:fs');
        const read = (p) => { try { return fs.readFileSync(p, 'latin1'); } catch (e) { return 'denied:' + e.code; } };
        const list = (p) => { try { return fs.readdirSync(p); } catch (e) { return ['denied:' + e.code]; } };
        module.exports = async ({ res }) => {
          const pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
          const seen = pids.map((p) => read(`/proc/${p}/cmdline`) + read(`/proc/${p}/environ`)).join('\n');
          return res.json({ pids: pids.length, seen, file: read('/tmp/victim.txt'), run: list('/run/fp'), code: list('/code'), env: JSON.stringify(process.env) });
        };
        """)]
    [TestCase("python", """
        import json, os
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
            seen = '\n'.join(read('/proc/%s/cmdline' % p) + read('/proc/%s/environ' % p) for p in pids)
            return context.res.json({'pids': len(pids), 'seen': seen, 'file': read('/tmp/victim.txt'), 'run': listing('/run/fp'),
                                     'code': listing('/code'), 'env': json.dumps(dict(os.environ))})
        """)]
    public async Task Attacker_CannotSeeAnotherFunctionsProcessesFilesOrEnvironment(string runtime, string code)
    {
        const string victimCode = """
            const fs = require('node:fs');
            module.exports = async ({ res }) => { fs.writeFileSync('/tmp/victim.txt', process.env.SECRET); return res.text(__dirname); };
            """;
        var victim = await Host.RunAsync(SecurityHost.Invocation(Host.NodeId, "index.js", victimCode, "fun_victim_" + runtime,
            variables: new Dictionary<string, string> { ["SECRET"] = VictimSecret }, extraFiles: new CodeFile("victim-only.txt", VictimSecret)));
        Assert.That(victim.Succeeded, Is.True, victim.Errors);
        Assert.That(Directory.Exists($"/proc/{victim.ProcessId}"), Is.True, "precondition: the victim is still running (warm)");

        var result = await Host.RunAsync(runtime, code, "fun_attacker_" + runtime);

        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.That(result.BodyText, Does.Not.Contain(VictimSecret));
        Assert.That(result.BodyText, Does.Not.Contain("victim-only.txt"));
        using var body = JsonDocument.Parse(result.BodyText);
        Assert.That(body.RootElement.GetProperty("pids").GetInt32(), Is.LessThanOrEqualTo(4), "a private pid namespace: its own tree only");
        Assert.That(body.RootElement.GetProperty("file").GetString(), Does.StartWith("denied:"));
        Assert.That(body.RootElement.GetProperty("run")[0].GetString(), Does.StartWith("denied:"), "its own run directory is sealed");
    }
}
