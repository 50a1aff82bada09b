using System.Globalization;

namespace FunctionsPlatform.Infrastructure.Runtime.Processes;

/// <summary>
/// Memory of a process tree read from /proc: the proportional set size (PSS: shared pages, such as the interpreter's
/// code mapped by every warm process, are split between the processes that map them), else the resident set size.
/// Read off the hot path (the pool's maintenance timer), never per call.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>The tree's memory in KiB: the pids of its cgroup when it has one, else the root and its descendants.</summary>
    public static long TreeKb(int rootPid, string? cgroupProcsFile)
    {
        var pids = cgroupProcsFile is not null && TryReadPids(cgroupProcsFile) is { Count: > 0 } members ? members : Descendants(rootPid);
        long total = 0;
        foreach (var pid in pids)
        {
            total += ProcessKb(pid);
        }

        return total;
    }

    /// <summary>PSS of one process in KiB (RSS when smaps_rollup is missing); 0 when it is gone.</summary>
    public static long ProcessKb(int pid)
    {
        var rollup = ReadField($"/proc/{pid}/smaps_rollup", "Pss:");
        return rollup ?? ReadField($"/proc/{pid}/status", "VmRSS:") ?? 0;
    }

    private static List<int> Descendants(int rootPid)
    {
        var pids = new List<int> { rootPid };
        for (var i = 0; i < pids.Count && pids.Count < 4096; i++)
        {
            try
            {
                // Each thread has its own children file.
                foreach (var task in Directory.EnumerateDirectories($"/proc/{pids[i]}/task"))
                {
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                        {
                            pids.Add(pid);
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or the kernel has no children file: count what we have.
            }
        }

        return pids;
    }

    private static List<int>? TryReadPids(string procsFile)
    {
        try
        {
            return File.ReadAllLines(procsFile).Select(line => int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0).Where(pid => pid > 0).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? ReadField(string path, string name)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(name.Length).Trim().TrimEnd("kB").Trim();
                    return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process is gone.
        }

        return null;
    }
}
