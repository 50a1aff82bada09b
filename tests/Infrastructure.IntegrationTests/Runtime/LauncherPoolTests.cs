using FunctionsPlatform.Infrastructure.Runtime.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class LauncherPoolTests
{
    private static readonly TimeSpan ParkTimeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task TakenLauncher_AlreadySitsInEveryOneOfItsGroups()
    {
        using var pool = new LauncherPool(Cgroups(), 1, ParkTimeout);

        using var launcher = await pool.TakeAsync(CancellationToken.None);

        Assert.That(launcher.Cgroup, Is.Not.Null);
        foreach (var procs in launcher.Cgroup!.ProcsFiles)
        {
            Assert.That(await File.ReadAllLinesAsync(procs), Does.Contain(launcher.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)), procs);
        }
    }

    [Test]
    public async Task DisposedLauncher_IsKilledAndItsGroupsRemoved()
    {
        using var pool = new LauncherPool(Cgroups(), 0, ParkTimeout);
        var launcher = await pool.TakeAsync(CancellationToken.None);
        var directories = launcher.Cgroup!.ProcsFiles.Select(Path.GetDirectoryName).ToList();
        var pid = launcher.ProcessId;

        launcher.Dispose();

        Assert.That(Directory.Exists($"/proc/{pid}"), Is.False);
        Assert.That(directories.Where(Directory.Exists), Is.Empty);
    }

    [Test]
    public async Task LauncherThatDiedWhileParked_IsNeverHandedOut()
    {
        var others = FindParkedShells();
        using var pool = new LauncherPool(Cgroups(), 1, ParkTimeout);
        pool.Refill();
        await WaitUntilAsync(() => pool.ParkedCount == 1);
        var dead = FindParkedShells().Except(others).Single();
        Native.Kill(dead, Native.SigKill);
        await WaitUntilAsync(() => !Directory.Exists($"/proc/{dead}")); // Reaped: .NET has seen the exit.

        using var launcher = await pool.TakeAsync(CancellationToken.None);

        Assert.That(launcher.ProcessId, Is.Not.EqualTo(dead));
        Assert.That(launcher.IsAlive, Is.True);
    }

    [Test]
    public async Task DisposedPool_KillsItsParkedLaunchers()
    {
        var others = FindParkedShells();
        var pool = new LauncherPool(Cgroups(), 2, ParkTimeout);
        pool.Refill();
        await WaitUntilAsync(() => pool.ParkedCount == 2);
        var parked = FindParkedShells().Except(others).ToList();
        Assert.That(parked, Has.Count.EqualTo(2));

        pool.Dispose();

        Assert.That(parked.Where(pid => Directory.Exists($"/proc/{pid}")), Is.Empty);
    }

    [Test]
    public void NewController_ShouldKillAndRemoveTheGroupsOfServersThatAreGone_AndKeepLiveOnes()
    {
        var cgroups = Cgroups();
        var ours = cgroups.Create()!;
        var parents = ours.ProcsFiles.Select(f => Path.GetDirectoryName(Path.GetDirectoryName(f))!).ToList();
        var orphans = parents.Select(p => Path.Combine(p, $"p-{DeadPid()}-{Guid.NewGuid().ToString("N")[..12]}")).ToList();
        orphans.ForEach(d => Directory.CreateDirectory(d));
        using var leftover = System.Diagnostics.Process.Start("sleep", "60");
        orphans.ForEach(d => File.WriteAllText(Path.Combine(d, "cgroup.procs"), leftover.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var restarted = new CgroupController(true, NullLogger.Instance);

        Assert.That(restarted.Available, Is.True);
        Assert.That(orphans.Where(Directory.Exists), Is.Empty, "the dead server's groups are gone");
        Assert.That(leftover.WaitForExit(5000), Is.True, "and the process it left running was killed");
        Assert.That(ours.ProcsFiles.Select(Path.GetDirectoryName).Where(d => !Directory.Exists(d)), Is.Empty, "a live server's groups stay");
        ours.Remove();
    }

    [TestCase("p-4242-0123456789ab", 4242)]
    [TestCase("p-1-x", 1)]
    [TestCase("p-0123456789ab", null)]
    [TestCase("p--x", null)]
    [TestCase("p-0-x", null)]
    [TestCase("user-made", null)]
    [TestCase("p-99999999999-x", null)]
    public void OwnerPid_ShouldReadOnlyGroupNamesThisPlatformMakes(string name, int? pid) =>
        Assert.That(CgroupController.OwnerPid(name), Is.EqualTo(pid));

    /// <summary>A pid no process has now: counting down from the kernel's maximum.</summary>
    private static int DeadPid()
    {
        var max = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(1, 10_000).Select(i => max - i).First(pid => !Directory.Exists($"/proc/{pid}"));
    }

    private static CgroupController Cgroups()
    {
        var cgroups = new CgroupController(true, NullLogger.Instance);
        Assert.That(cgroups.Available, Is.True, "needs writable cgroups");
        return cgroups;
    }

    /// <summary>Parked shells are children of this test process waiting in <c>sh -s -- …/cgroup.procs</c> (other pools' too).</summary>
    private static List<int> FindParkedShells() =>
        Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadCmdline(pid).StartsWith("/bin/sh\0-s\0--\0", StringComparison.Ordinal) && ParentOf(pid) == Environment.ProcessId)
            .ToList();

    private static string ReadCmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.That(condition(), Is.True, "timed out waiting");
    }
}
