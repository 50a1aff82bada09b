using System.Text.Json;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>
/// The only writable space is a size-capped tmpfs private to the process; the run directory shared with the host is
/// sealed once the socket exists, so nothing runnable or setuid can be planted on the host, and nothing outlives the process.
/// </summary>
public sealed class WritableSpaceTests
{
    private static SecurityHost Host => SharedSandbox.Host;

    [SetUp]
    public void RequireSandbox() => SharedSandbox.Require(Host);

    [TestCase("node", """
        const fs = require('node:fs');
        const plant = (dir) => {
          try { fs.copyFileSync('/usr/bin/id', dir + '/planted-id'); fs.chmodSync(dir + '/planted-id', 0o4755); return 'planted'; }
          catch (e) { return e.code; }
        };
        const atLoad = plant('/run/fp');
        module.exports = async ({ res }) => res.json({ atLoad, atCall: plant('/run/fp'), tmp: plant('/tmp'), code: plant('/code') });
        """)]
    [TestCase("python", """
        import errno, os, shutil
        def plant(d):
            try:
                shutil.copyfile('/usr/bin/id', d + '/planted-id')
                os.chmod(d + '/planted-id', 0o4755)
                return 'planted'
            except OSError as e:
                return errno.errorcode[e.errno]
        at_load = plant('/run/fp')
        def main(context):
            return context.res.json({'atLoad': at_load, 'atCall': plant('/run/fp'), 'tmp': plant('/tmp'), 'code': plant('/code')})
        """)]
    public async Task SetuidFile_CannotBePlantedOnTheHost_AndNothingOutlivesTheProcess(string runtime, string code)
    {
        var functionId = "fun_setuid_" + runtime;
        var result = await Host.RunAsync(runtime, code, functionId);

        Assert.That(result.Succeeded, Is.True, result.Errors);
        using var body = JsonDocument.Parse(result.BodyText);
        Assert.That(body.RootElement.GetProperty("atCall").GetString(), Is.EqualTo("EACCES"), "the run directory is sealed once the socket exists");
        Assert.That(body.RootElement.GetProperty("code").GetString(), Is.EqualTo("EROFS"));
        Assert.That(body.RootElement.GetProperty("tmp").GetString(), Is.EqualTo("planted"), "the private tmpfs is writable (and nosuid)");

        // While the process lives: the host side of its run directory holds the socket, root's, and nothing else.
        var runDirectories = Directory.GetDirectories(Host.Executor.RunDirectories.Instance);
        var everything = runDirectories.SelectMany(d => Directory.GetFileSystemEntries(d, "*", SearchOption.AllDirectories)).ToList();
        Assert.That(everything.Select(Path.GetFileName), Is.All.EqualTo("s"), string.Join(", ", everything));
        Assert.That(everything.Select(f => File.GetUnixFileMode(f) & (UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)),
            Is.All.EqualTo((UnixFileMode)0));
        Assert.That(FindPlanted(Host.Executor.RunDirectories.Root).Concat(FindPlanted(Host.DataDirectory)).Concat(FindPlanted(Path.GetTempPath())), Is.Empty);

        // After it: its run directory is gone.
        Host.Executor.EvictFunction(functionId);
        await WaitUntil(() => !Directory.Exists($"/proc/{result.ProcessId}") && Directory.GetDirectories(Host.Executor.RunDirectories.Instance).Length < runDirectories.Length);
        Assert.That(Directory.GetDirectories(Host.Executor.RunDirectories.Instance).Intersect(runDirectories).Count(), Is.LessThan(runDirectories.Length));
    }

    [Test]
    public async Task DiskFill_StopsAtTheTmpfsQuotaAndNeverReachesHostDisk()
    {
        using var host = new SecurityHost(o => o.TmpSizeMb = 16);
        SharedSandbox.Require(host);
        const string code = """
            const fs = require('node:fs');
            const chunk = Buffer.alloc(1 << 20, 1);
            const attempt = (path) => { try { fs.writeFileSync(path, chunk); return 'written'; } catch (e) { return e.code; } };
            module.exports = async ({ res }) => {
              let written = 0, error = '';
              const fd = fs.openSync('/tmp/fill', 'w');
              try { for (let i = 0; i < 300; i++) { fs.writeSync(fd, chunk); written++; } } catch (e) { error = e.code; }
              fs.closeSync(fd);
              return res.json({ written, error, runDir: attempt('/run/fp/fill'), code: attempt('/code/fill'), root: attempt('/fill'), dev: attempt('/dev/shm/fill') });
            };
            """;

        var result = await host.RunAsync("node", code, "fun_fill");

        Assert.That(result.Succeeded, Is.True, result.Errors);
        using var body = JsonDocument.Parse(result.BodyText);
        Assert.That(body.RootElement.GetProperty("error").GetString(), Is.EqualTo("ENOSPC"));
        Assert.That(body.RootElement.GetProperty("written").GetInt32(), Is.InRange(1, 16));
        Assert.That(body.RootElement.GetProperty("runDir").GetString(), Is.EqualTo("EACCES"));
        Assert.That(body.RootElement.GetProperty("code").GetString(), Is.EqualTo("EROFS"));
        Assert.That(body.RootElement.GetProperty("root").GetString(), Is.AnyOf("EACCES", "EROFS"));
        Assert.That(body.RootElement.GetProperty("dev").GetString(), Is.AnyOf("EACCES", "EROFS"));
        Assert.That(File.Exists("/tmp/fill"), Is.False, "the sandbox's /tmp is not the host's");
    }

    private static IEnumerable<string> FindPlanted(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "planted-id", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 4 })
            : [];

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }
    }
}
