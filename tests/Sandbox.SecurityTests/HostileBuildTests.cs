using System.Diagnostics;
using System.Globalization;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Domain.Deployments;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>
/// Build commands are hostile input: they run in the executions' sandbox and cgroups, and a fork bomb, a disk fill, a
/// command that never ends or one that looks for the server's data each end in a failed build (or a build that saw
/// nothing) with the reason in its log, while other functions keep serving and nothing of a failed build is kept.
/// </summary>
[NonParallelizable]
public sealed class HostileBuildTests
{
    private const int PidsMax = 64;
    private const int TimeoutSeconds = 6;
    private const long MaxOutputBytes = 30_000_000;
    private BuildHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await BuildHost.StartAsync(new Dictionary<string, string?>
    {
        ["Builds:PidsMax"] = PidsMax.ToString(CultureInfo.InvariantCulture),
        ["Builds:TimeoutSeconds"] = TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        ["Builds:MaxOutputBytes"] = MaxOutputBytes.ToString(CultureInfo.InvariantCulture),
        ["Builds:LogFlushIntervalMs"] = "100",
    });

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [SetUp]
    public void RequireSandbox() => SharedSandbox.Require(_host.Catalog);

    [Test]
    public async Task ForkBomb_ShouldFailAtTheProcessLimit_WhileAnotherFunctionKeepsServing()
    {
        var serving = await _host.BuildAsync(await _host.CreateFunctionAsync(), "");
        Assert.That(serving.Status, Is.EqualTo(DeploymentStatus.Ready), serving.BuildLogs);
        var before = _host.Disk();
        var marker = Marker();

        var bomb = _host.BuildAsync(await _host.CreateFunctionAsync(), $"bomb() {{ bomb | bomb & }}; bomb; wait; sleep 100 # {marker}");
        await Task.Delay(1500);
        var duringBomb = Stopwatch.StartNew();
        var served = await _host.InvokeAsync(serving);
        duringBomb.Stop();
        var built = await bomb;

        Assert.Multiple(() =>
        {
            Assert.That(built.Status, Is.EqualTo(DeploymentStatus.Failed));
            Assert.That(built.BuildLogs, Does.Contain($"limit of {PidsMax} processes"));
            Assert.That(served.Succeeded, Is.True, served.Errors);
            Assert.That(served.BodyText, Is.EqualTo("built"));
            Assert.That(duringBomb.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the other function answered while the bomb ran");
            Assert.That(LiveProcesses(marker), Is.Empty, "every process of the bomb is gone");
            Assert.That(_host.Disk(), Is.EqualTo(before), "no artifact and no work directory are left");
        });
    }

    [TestCase("i=0; while :; do head -c 4000000 /dev/zero > f$i; i=$((i+1)); done", TestName = "DiskFill_ManyFiles_ShouldFailAtTheOutputLimit")]
    [TestCase("head -c 100000000 /dev/zero > big; echo wrote", TestName = "DiskFill_OneHugeFile_ShouldFailAtTheOutputLimit")]
    public async Task DiskFill_ShouldFailAtTheOutputLimit(string commands)
    {
        var before = _host.Disk();

        var built = await _host.BuildAsync(await _host.CreateFunctionAsync(), commands);

        Assert.Multiple(() =>
        {
            Assert.That(built.Status, Is.EqualTo(DeploymentStatus.Failed));
            Assert.That(built.BuildLogs, Does.Contain($"exceeds the limit of {MaxOutputBytes} bytes"));
            Assert.That(_host.Disk(), Is.EqualTo(before), "nothing of the failed build is kept");
        });
    }

    [Test]
    public async Task NeverEndingCommand_ShouldTimeOutAndBeKilled()
    {
        var marker = Marker();
        var started = Stopwatch.StartNew();

        var built = await _host.BuildAsync(await _host.CreateFunctionAsync(), $"while :; do :; done # {marker}");

        Assert.Multiple(() =>
        {
            Assert.That(built.Status, Is.EqualTo(DeploymentStatus.Failed));
            Assert.That(built.BuildLogs, Does.Contain($"Build timed out after {TimeoutSeconds} seconds."));
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(TimeoutSeconds + 15)));
            Assert.That(LiveProcesses(marker), Is.Empty);
        });
    }

    [Test]
    public async Task Commands_ShouldSeeNoneOfTheServersDataNorOtherFunctions_AndRunUnprivileged()
    {
        var secret = "top-secret-" + Guid.NewGuid().ToString("N");
        var other = await _host.BuildAsync(await _host.CreateFunctionAsync(), "", ("index.js", $"// {secret}\nmodule.exports = async ({{ res }}) => res.text('x');"));
        var otherArtifact = _host.Services.GetRequiredService<IDeploymentArtifacts>().Find(other.BuildKey!)!;
        var data = _host.DataDirectory;
        var commands = string.Join("; ",
            "id -u > uid.txt",
            $"ls -la {data} > seen.txt 2>&1",
            $"cat {data}/functions.db {data}/admin.key {otherArtifact}/index.js >> seen.txt 2>&1",
            $"ls {data}/keys {data}/artifacts {data}/bundles >> seen.txt 2>&1",
            $"cat /proc/{Environment.ProcessId}/environ >> seen.txt 2>&1",
            $"grep -r {secret} / --exclude-dir=proc --exclude-dir=usr --exclude-dir=sys -l >> seen.txt 2>&1",
            "echo done >> seen.txt");

        var built = await _host.BuildAsync(await _host.CreateFunctionAsync(), commands);

        Assert.That(built.Status, Is.EqualTo(DeploymentStatus.Ready), built.BuildLogs);
        var output = _host.Services.GetRequiredService<IDeploymentArtifacts>().Find(built.BuildKey!)!;
        var seen = await File.ReadAllTextAsync(Path.Combine(output, "seen.txt"));
        var uid = int.Parse((await File.ReadAllTextAsync(Path.Combine(output, "uid.txt"))).Trim(), CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(seen, Does.Contain("No such file or directory").And.EndWith("done\n"), seen);
            Assert.That(seen, Does.Not.Contain("SQLite format").And.Not.Contain(secret).And.Not.Contain("fp_build_security_admin_key"), seen);
            Assert.That(uid, Is.Not.EqualTo(0));
            if (Environment.IsPrivilegedProcess)
            {
                Assert.That(uid, Is.EqualTo(_host.Executor.Sandbox!.User!.Uid), "the sandbox user");
            }
        });
    }

    [Test]
    public async Task NpmInstall_OfALocalTarball_ShouldEndUpInTheArtifactAndServeTheFunction()
    {
        var package = BuildHost.TarGz(new[]
        {
            ("package/package.json", """{"name":"shout","version":"1.0.0","main":"index.js"}"""),
            ("package/index.js", "module.exports = (s) => s.toUpperCase() + '!';"),
        });
        var files = new (string, byte[])[]
        {
            ("package.json", System.Text.Encoding.UTF8.GetBytes("""{"name":"fn","version":"1.0.0","dependencies":{"shout":"file:vendor/shout-1.0.0.tgz"}}""")),
            ("vendor/shout-1.0.0.tgz", package),
            ("index.js", System.Text.Encoding.UTF8.GetBytes("const shout = require('shout');\nmodule.exports = async ({ res }) => res.text(shout('built with npm'));")),
        };

        var built = await _host.BuildAsync(await _host.CreateFunctionAsync(), "npm install --offline --no-audit --no-fund && ls node_modules", files);

        Assert.That(built.Status, Is.EqualTo(DeploymentStatus.Ready), built.BuildLogs);
        var output = _host.Services.GetRequiredService<IDeploymentArtifacts>().Find(built.BuildKey!)!;
        Assert.That(File.Exists(Path.Combine(output, "node_modules", "shout", "index.js")), Is.True, built.BuildLogs);
        var result = await _host.InvokeAsync(built);
        Assert.That(result.BodyText, Is.EqualTo("BUILT WITH NPM!"), result.Errors);
    }

    private static string Marker() => "marker-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Processes (zombies aside) whose command line holds <paramref name="marker"/>, as the host sees them.</summary>
    private static List<int> LiveProcesses(string marker)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (HostProcesses.Cmdline(pid).Contains(marker, StringComparison.Ordinal) && !HostProcesses.Status(pid, "State").StartsWith('Z'))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }
}
