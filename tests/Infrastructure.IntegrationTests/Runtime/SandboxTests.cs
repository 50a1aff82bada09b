using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>bubblewrap is required here (CI installs it): without it these tests fail, they are not skipped.</summary>
public sealed class SandboxTests
{
    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public void Catalog_ReportsBubblewrap() =>
        Assert.That(Host.Catalog.Sandbox, Is.EqualTo("bubblewrap"), "install bubblewrap (apt-get install -y bubblewrap)");

    [Test]
    public async Task Function_CannotReadThePlatformDataDirectoryOrAnotherBundle()
    {
        var secret = Path.Combine(Host.DataDirectory, "functions.db");
        await File.WriteAllTextAsync(secret, "platform secret");
        var victim = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js",
            "module.exports = async ({ res }) => res.text(__dirname);", functionId: "fun_victim", extraFiles: new CodeFile("secret.txt", "victim secret")));
        // The bundle's own file, not the hard link in a specialized process's code view (the same inode).
        var victimFile = Directory.GetFiles(Host.Bundles.Root, "secret.txt", SearchOption.AllDirectories)
            .Single(f => !f.Contains("/" + Infrastructure.Runtime.Bundles.CodeViews.DirectoryName + "/", StringComparison.Ordinal));
        const string code = """
            const fs = require('node:fs');
            const tryRead = (p) => { try { return fs.readFileSync(p, 'utf8'); } catch (e) { return 'denied:' + e.code; } };
            module.exports = async ({ req, res }) => {
              const [a, b] = JSON.parse(req.bodyText);
              let write;
              try { fs.writeFileSync(__dirname + '/new.txt', 'x'); write = 'written'; } catch (e) { write = 'denied:' + e.code; }
              fs.writeFileSync('/tmp/mine.txt', 'ok');
              return res.json({ data: tryRead(a), other: tryRead(b), write, tmp: tryRead('/tmp/mine.txt') });
            };
            """;

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", code,
            RuntimeRequest.Create(body: System.Text.Json.JsonSerializer.Serialize(new[] { secret, victimFile })), functionId: "fun_attacker"));

        Assert.That(victim.Succeeded, Is.True, victim.Errors);
        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.That(result.BodyText, Does.Contain("\"data\":\"denied:ENOENT\""));
        Assert.That(result.BodyText, Does.Contain("\"other\":\"denied:ENOENT\""));
        Assert.That(result.BodyText, Does.Contain("\"write\":\"denied:EROFS\""));
        Assert.That(result.BodyText, Does.Contain("\"tmp\":\"ok\""));
        Assert.That(File.Exists("/tmp/mine.txt") && File.ReadAllText("/tmp/mine.txt") == "ok", Is.False, "/tmp is private");
    }

    [Test]
    public async Task PythonFunction_CannotSeeThePlatformDataDirectory()
    {
        var code = $"import os\ndef main(context):\n    return context.res.text(str(os.path.exists({System.Text.Json.JsonSerializer.Serialize(Host.DataDirectory)})))\n";

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py", code, functionId: "fun_py_sandbox"));

        Assert.That(result.BodyText, Is.EqualTo("False"), result.Errors);
    }

    [Test]
    public async Task NetworkDisabled_CannotConnectOut()
    {
        using var host = new RuntimeTestHost(o => o.AllowNetwork = false);
        const string code = """
            const net = require('node:net');
            module.exports = async ({ res }) => res.text(await new Promise((resolve) => {
              const s = net.connect(53, '1.1.1.1', () => resolve('connected'));
              s.on('error', (e) => resolve('blocked:' + e.code));
              s.setTimeout(1000, () => resolve('blocked:timeout'));
            }));
            """;

        var result = await host.RunAsync(RuntimeTestHost.Invocation(host.NodeId, "index.js", code, functionId: "fun_nonet"));

        Assert.That(result.BodyText, Does.StartWith("blocked:"), result.Errors);
    }
}
