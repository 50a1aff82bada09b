using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>
/// Per-process cgroups for memory, CPU and pids, on v2 (unified) or v1 (one hierarchy per controller), nested under the
/// platform's own cgroup. Unavailable (no write access, no controllers) means limits fall back to rlimits only.
/// Groups are named after the server's pid (<c>p-&lt;pid&gt;-&lt;random&gt;</c>): a server killed outright leaves its
/// groups (and any process still in them) behind, and the next start removes those of servers no longer running,
/// never another live instance's.
/// </summary>
internal sealed class CgroupController
{
    private const string UnifiedKey = "unified";
    private const string GroupPrefix = "p-";
    private const string MountRoot = "/sys/fs/cgroup";
    private readonly Dictionary<string, string> _parents = [];
    private readonly bool _unified;

    public CgroupController(bool enabled, ILogger logger)
    {
        if (!enabled || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _unified = File.Exists(Path.Combine(MountRoot, "cgroup.controllers"));
            var own = OwnCgroups();
            foreach (var controller in new[] { "memory", "cpu", "pids" })
            {
                var parent = _unified
                    ? Path.Combine(MountRoot, own.GetValueOrDefault("", "/").TrimStart('/'), "functions-platform")
                    : Path.Combine(MountRoot, controller, own.GetValueOrDefault(controller, "/").TrimStart('/'), "functions-platform");
                Directory.CreateDirectory(parent);
                if (_unified)
                {
                    TryWrite(Path.Combine(Path.GetDirectoryName(parent)!, "cgroup.subtree_control"), "+memory +cpu +pids");
                    TryWrite(Path.Combine(parent, "cgroup.subtree_control"), "+memory +cpu +pids");
                }

                _parents[controller] = parent;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("cgroups are not writable ({Reason}): memory and CPU limits use rlimits only", ex.Message);
            _parents.Clear();
            return;
        }

        var swept = SweepOrphans();
        if (swept > 0)
        {
            logger.LogInformation("Removed {Count} cgroups left behind by servers that are no longer running", swept);
        }
    }

    public bool Available => _parents.Count > 0;

    public string Version => _unified ? "v2" : "v1";

    /// <summary>Creates empty groups for one process tree (limits come with <see cref="CgroupHandle.Limit"/>); null when unavailable.</summary>
    public CgroupHandle? Create()
    {
        if (!Available)
        {
            return null;
        }

        var name = $"{GroupPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}";
        var directories = new Dictionary<string, string>();
        try
        {
            foreach (var (controller, parent) in _unified ? [new(UnifiedKey, _parents["memory"])] : _parents.ToList())
            {
                var dir = Path.Combine(parent, name);
                Directory.CreateDirectory(dir);
                directories[controller] = dir;
            }

            return new CgroupHandle(directories, _unified);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            new CgroupHandle(directories, _unified).Remove();
            return null;
        }
    }

    /// <summary>
    /// Kills what is left in, and removes, the groups of servers that are no longer running (their pid is gone). Groups of
    /// live servers, this one's included, are left alone. Returns how many groups were removed.
    /// </summary>
    /// <summary>The groups this server has made and not yet removed, as host paths (one controller's view).</summary>
    internal IReadOnlyList<string> OwnGroups()
    {
        if (_parents.Count == 0)
        {
            return [];
        }

        var parent = _parents.GetValueOrDefault("memory") ?? _parents.Values.First();
        try
        {
            return Directory.EnumerateDirectories(parent, $"{GroupPrefix}{Environment.ProcessId}-*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public int SweepOrphans()
    {
        var orphans = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (controller, parent) in _unified ? [new(UnifiedKey, _parents["memory"])] : _parents.ToList())
        {
            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateDirectories(parent).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var dir in children)
            {
                var name = Path.GetFileName(dir);
                if (OwnerPid(name) is { } owner && owner != Environment.ProcessId && !Directory.Exists($"/proc/{owner}"))
                {
                    (orphans.TryGetValue(name, out var byController) ? byController : orphans[name] = [])[controller] = dir;
                }
            }
        }

        foreach (var directories in orphans.Values)
        {
            var handle = new CgroupHandle(directories, _unified);
            handle.KillAll();
            handle.Remove();
        }

        return orphans.Count;
    }

    /// <summary>The server pid in a group name <c>p-&lt;pid&gt;-…</c>; null for names this platform did not make.</summary>
    internal static int? OwnerPid(string groupName)
    {
        if (!groupName.StartsWith(GroupPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = groupName.IndexOf('-', GroupPrefix.Length);
        return end > GroupPrefix.Length && int.TryParse(groupName.AsSpan(GroupPrefix.Length, end - GroupPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? pid
            : null;
    }

    private static Dictionary<string, string> OwnCgroups()
    {
        var result = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3)
            {
                foreach (var controller in parts[1].Split(','))
                {
                    result[controller] = parts[2];
                }
            }
        }

        return result;
    }

    internal static bool TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>The cgroup directories of one runtime process tree, by controller (v1) or the one unified directory (v2).</summary>
internal sealed class CgroupHandle(IReadOnlyDictionary<string, string> directoriesByController, bool unified)
{
    private readonly IReadOnlyCollection<string> _directories = directoriesByController.Values.ToList();

    /// <summary>The files a launcher writes its own pid into before it runs anything else, so no user code runs outside the limits.</summary>
    public IEnumerable<string> ProcsFiles => _directories.Select(d => Path.Combine(d, "cgroup.procs"));

    /// <summary>Writes memory, CPU and pids limits; done before the launcher execs anything of the function's.</summary>
    public void Limit(double cpus, int memoryMb, int maxPids)
    {
        var memoryBytes = ((long)memoryMb * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        var quota = ((long)(cpus * 100_000)).ToString(CultureInfo.InvariantCulture);
        var pids = maxPids.ToString(CultureInfo.InvariantCulture);
        foreach (var (controller, dir) in directoriesByController)
        {
            if (unified)
            {
                CgroupController.TryWrite(Path.Combine(dir, "memory.max"), memoryBytes);
                CgroupController.TryWrite(Path.Combine(dir, "memory.swap.max"), "0");
                CgroupController.TryWrite(Path.Combine(dir, "cpu.max"), $"{quota} 100000");
                CgroupController.TryWrite(Path.Combine(dir, "pids.max"), pids);
                continue;
            }

            // v1: one hierarchy per controller; the limit must be set before memsw, which may not be below it.
            switch (controller)
            {
                case "memory":
                    CgroupController.TryWrite(Path.Combine(dir, "memory.limit_in_bytes"), memoryBytes);
                    CgroupController.TryWrite(Path.Combine(dir, "memory.memsw.limit_in_bytes"), memoryBytes);
                    break;
                case "cpu":
                    CgroupController.TryWrite(Path.Combine(dir, "cpu.cfs_period_us"), "100000");
                    CgroupController.TryWrite(Path.Combine(dir, "cpu.cfs_quota_us"), quota);
                    break;
                case "pids":
                    CgroupController.TryWrite(Path.Combine(dir, "pids.max"), pids);
                    break;
            }
        }
    }

    /// <summary>
    /// CPU weight against the sibling groups (v1 <c>cpu.shares</c>, default 1024; v2 <c>cpu.weight</c>, default 100): a
    /// lower weight yields the CPU to them when both want it, and takes whatever they leave idle.
    /// </summary>
    public void Weight(int shares)
    {
        var dir = directoriesByController.GetValueOrDefault(unified ? "unified" : "cpu");
        if (dir is not null)
        {
            var value = unified ? Math.Clamp(shares * 100 / 1024, 1, 10_000) : Math.Clamp(shares, 2, 262_144);
            CgroupController.TryWrite(Path.Combine(dir, unified ? "cpu.weight" : "cpu.shares"), value.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>True when the kernel's OOM killer acted in this group (v2 memory.events, v1 memory.oom_control).</summary>
    public bool OutOfMemory
    {
        get
        {
            foreach (var dir in _directories)
            {
                var events = Path.Combine(dir, unified ? "memory.events" : "memory.oom_control");
                try
                {
                    if (File.Exists(events) && File.ReadAllLines(events).Any(l => l.StartsWith("oom_kill ", StringComparison.Ordinal) && l != "oom_kill 0"))
                    {
                        return true;
                    }
                }
                catch (IOException)
                {
                    // The group is going away.
                }
            }

            return false;
        }
    }

    /// <summary>True when a fork was refused because the group reached its pids limit (<c>pids.events</c>, v1 and v2).</summary>
    public bool PidsLimitReached
    {
        get
        {
            var dir = directoriesByController.GetValueOrDefault(unified ? "unified" : "pids");
            try
            {
                return dir is not null && File.Exists(Path.Combine(dir, "pids.events"))
                    && File.ReadAllLines(Path.Combine(dir, "pids.events")).Any(l => l.StartsWith("max ", StringComparison.Ordinal) && l != "max 0");
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>Kills every process still in the group (fork-bomb children included).</summary>
    public void KillAll()
    {
        if (unified && CgroupController.TryWrite(Path.Combine(_directories.First(), "cgroup.kill"), "1"))
        {
            return;
        }

        for (var round = 0; round < 5; round++)
        {
            var any = false;
            foreach (var file in ProcsFiles)
            {
                string[] pids;
                try
                {
                    pids = File.ReadAllLines(file);
                }
                catch (IOException)
                {
                    continue;
                }

                foreach (var pid in pids.Where(p => p.Length > 0))
                {
                    any = true;
                    Native.Kill(int.Parse(pid, CultureInfo.InvariantCulture), Native.SigKill);
                }
            }

            if (!any)
            {
                return;
            }

            Thread.Sleep(2);
        }
    }

    public void Remove()
    {
        foreach (var dir in _directories)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                try
                {
                    if (Directory.Exists(dir))
                    {
                        Directory.Delete(dir);
                    }

                    break;
                }
                catch (IOException)
                {
                    // Processes take a moment to leave after SIGKILL.
                    Thread.Sleep(5);
                }
            }
        }
    }
}
