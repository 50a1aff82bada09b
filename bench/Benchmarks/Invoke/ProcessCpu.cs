using System.Globalization;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// CPU time (user + system) used by a process and every descendant of it, read from <c>/proc</c>. On a machine shared
/// with other work, latency and rate swing with the load; the CPU time one call costs does not, so it is the figure to
/// compare across runs and to project a rate for an idle machine from (cores ÷ CPU per call).
/// </summary>
internal static class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>Cumulative CPU seconds of each live process in the tree under <paramref name="rootPid"/> (itself included).</summary>
    public static Dictionary<int, double> Snapshot(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        var cpu = new Dictionary<int, double>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // The command name may hold spaces and parentheses: fields are counted after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                cpu[pid] = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        var tree = new Dictionary<int, double>();
        foreach (var (pid, seconds) in cpu)
        {
            for (var p = pid; p > 1; p = parents.GetValueOrDefault(p, 1))
            {
                if (p == rootPid)
                {
                    tree[pid] = seconds;
                    break;
                }
            }
        }

        return tree;
    }

    /// <summary>CPU seconds the tree used between two snapshots (processes started in between count from zero).</summary>
    public static double Used(Dictionary<int, double> before, Dictionary<int, double> after) =>
        after.Sum(p => p.Value - before.GetValueOrDefault(p.Key));

    /// <summary>CPU seconds of the process itself only, between two snapshots.</summary>
    public static double Own(int pid, Dictionary<int, double> before, Dictionary<int, double> after) =>
        after.GetValueOrDefault(pid) - before.GetValueOrDefault(pid);
}
