using System.Text.Json;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>Host kernel settings are out of reach: /proc/sys is read-only in the sandbox (and the code is not root).</summary>
public sealed class KernelSettingsTests
{
    // Each is written back with the value it already has, so the test changes nothing on a host where the write succeeds.
    private static readonly string[] Settings = ["kernel/core_pattern", "kernel/panic", "vm/panic_on_oom", "vm/overcommit_memory"];

    private static SecurityHost Host => SharedSandbox.Host;

    [SetUp]
    public void RequireSandbox() => SharedSandbox.Require(Host);

    [TestCase("node", """
        const fs = require('node:fs');
        const attempt = (p) => { const v = fs.readFileSync(p, 'utf8'); try { fs.writeFileSync(p, v); return 'written'; } catch (e) { return e.code; } };
        module.exports = async ({ req, res }) => res.json(Object.fromEntries(JSON.parse(req.bodyText).map((k) => [k, attempt('/proc/sys/' + k)])));
        """)]
    [TestCase("python", """
        import errno, json
        def attempt(p):
            v = open(p).read()
            try:
                with open(p, 'w') as f:
                    f.write(v)
                return 'written'
            except OSError as e:
                return errno.errorcode[e.errno]
        def main(context):
            return context.res.json({k: attempt('/proc/sys/' + k) for k in json.loads(context.req.body_text)})
        """)]
    public async Task ProcSys_CannotBeWritten(string runtime, string code)
    {
        var before = Settings.ToDictionary(s => s, s => File.ReadAllText("/proc/sys/" + s));

        var result = await Host.RunAsync(runtime, code, "fun_sysctl_" + runtime,
            Application.Abstractions.Runtime.RuntimeRequest.Create(body: JsonSerializer.Serialize(Settings)));

        Assert.That(result.Succeeded, Is.True, result.Errors);
        var outcome = JsonSerializer.Deserialize<Dictionary<string, string>>(result.BodyText)!;
        Assert.That(outcome.Keys, Is.EquivalentTo(Settings));
        Assert.That(outcome.Values, Is.All.AnyOf("EROFS", "EACCES", "EPERM"), result.BodyText);
        Assert.That(Settings.ToDictionary(s => s, s => File.ReadAllText("/proc/sys/" + s)), Is.EqualTo(before));
    }
}
