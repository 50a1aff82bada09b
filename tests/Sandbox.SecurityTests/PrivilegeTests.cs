using System.Text.Json;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>Code runs as an unprivileged host uid, with no capabilities in any set and a seccomp filter in force.</summary>
public sealed class PrivilegeTests
{
    private static SecurityHost Host => SharedSandbox.Host;

    [SetUp]
    public void RequireSandbox() => SharedSandbox.Require(Host);

    [TestCase("node", "module.exports = async ({ res }) => res.text(require('node:fs').readFileSync('/proc/self/status', 'utf8'));")]
    [TestCase("python", "def main(context):\n    return context.res.text(open('/proc/self/status').read())\n")]
    public async Task Code_HasNoCapabilitiesAndAnUnprivilegedHostUid(string runtime, string code)
    {
        var result = await Host.RunAsync(runtime, code, "fun_caps_" + runtime);

        Assert.That(result.Succeeded, Is.True, result.Errors);
        var inside = result.BodyText.Split('\n').Where(l => l.Contains(':', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
        {
            Assert.That(inside[set], Is.EqualTo("0000000000000000"), set);
        }

        Assert.That(inside["NoNewPrivs"], Is.EqualTo("1"));

        // From the host: the interpreter under the launcher's pid belongs to an unprivileged uid (real, effective, saved, fs).
        var interpreter = HostProcesses.Interpreter(result.ProcessId);
        var uids = HostProcesses.Status(interpreter, "Uid").Split('\t', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        var gids = HostProcesses.Status(interpreter, "Gid").Split('\t', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.That(uids, Has.Count.EqualTo(4).And.All.Not.EqualTo(0));
        Assert.That(gids, Is.All.Not.EqualTo(0));
        Assert.That(HostProcesses.Status(interpreter, "Groups"), Is.Empty.Or.EqualTo(gids[0].ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(HostProcesses.Status(interpreter, "CapEff"), Is.EqualTo("0000000000000000"));
        if (Host.ExpectedUid is { } expected)
        {
            Assert.That(uids, Is.All.EqualTo(expected));
        }
    }

    [Test]
    public async Task Node_SeccompIsInForceAndDeniesNewUserNamespaces()
    {
        const string code = """
            const fs = require('node:fs');
            const { spawnSync } = require('node:child_process');
            module.exports = async ({ res }) => {
              const seccomp = /Seccomp:\s+(\d)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1];
              const unshare = spawnSync('/usr/bin/unshare', ['--user', '/usr/bin/true']);
              const plain = spawnSync('/usr/bin/true');
              return res.json({ seccomp, unshare: unshare.status, unshareErr: String(unshare.stderr), plain: plain.status });
            };
            """;

        var result = await Host.RunAsync("node", code, "fun_seccomp_node");

        Assert.That(result.Succeeded, Is.True, result.Errors);
        using var body = JsonDocument.Parse(result.BodyText);
        Assert.That(body.RootElement.GetProperty("seccomp").GetString(), Is.EqualTo("2"));
        Assert.That(body.RootElement.GetProperty("plain").GetInt32(), Is.EqualTo(0), "ordinary child processes still start");
        Assert.That(body.RootElement.GetProperty("unshare").GetInt32(), Is.Not.EqualTo(0), result.BodyText);
        Assert.That(body.RootElement.GetProperty("unshareErr").GetString(), Does.Contain("Operation not permitted"));
    }

    [Test]
    public async Task Python_PtraceAndUnshareAreDeniedWhileForkWorks()
    {
        const string code = """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            def call(fn, *args):
                return 0 if fn(*args) == 0 else ctypes.get_errno()
            def main(context):
                status = open('/proc/self/status').read()
                seccomp = [l.split()[1] for l in status.splitlines() if l.startswith('Seccomp:')][0]
                ptrace = call(libc.ptrace, 0, 0, None, None)
                unshare = call(libc.unshare, 0x10000000)
                mount = call(libc.mount, b'none', b'/tmp', b'tmpfs', 0, None)
                pid = os.fork()
                if pid == 0:
                    os._exit(7)
                _, st = os.waitpid(pid, 0)
                return context.res.json({'seccomp': seccomp, 'ptrace': ptrace, 'unshare': unshare, 'mount': mount, 'fork': os.WEXITSTATUS(st)})
            """;

        var result = await Host.RunAsync("python", code, "fun_seccomp_py");

        Assert.That(result.Succeeded, Is.True, result.Errors);
        using var body = JsonDocument.Parse(result.BodyText);
        const int eperm = 1;
        Assert.That(body.RootElement.GetProperty("seccomp").GetString(), Is.EqualTo("2"));
        Assert.That(body.RootElement.GetProperty("ptrace").GetInt32(), Is.EqualTo(eperm), "PTRACE_TRACEME");
        Assert.That(body.RootElement.GetProperty("unshare").GetInt32(), Is.EqualTo(eperm), "unshare(CLONE_NEWUSER)");
        Assert.That(body.RootElement.GetProperty("mount").GetInt32(), Is.EqualTo(eperm), "mount");
        Assert.That(body.RootElement.GetProperty("fork").GetInt32(), Is.EqualTo(7), "fork (clone without namespace flags) still works");
    }
}
