using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>The host uid/gid sandboxed code runs as; null when the server is not root and cannot switch ids.</summary>
internal sealed record SandboxUser(int Uid, int Gid);

/// <summary>
/// The host side of each runtime process's run directory (its socket). All of one server instance's directories sit in
/// <c>&lt;root&gt;/fp-run-&lt;server pid&gt;-&lt;random&gt;/</c> (mode 0711, made with mkdir(2) so nobody can pre-create it),
/// with the seccomp program beside them. The root is a tmpfs (<c>/dev/shm</c>) when there is one, so whatever code writes
/// there is memory charged to its own cgroup, never host disk. A directory is handed to the sandbox user while the
/// adapter creates its socket, then sealed (<see cref="Seal"/>): owned by root again, everything but the socket removed.
/// At start the instances of servers that are gone (pid no longer running) are removed, like their cgroups.
/// </summary>
internal sealed class RunDirectories : IDisposable
{
    internal const string InstancePrefix = "fp-run-";
    private const string SocketName = "s";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode TraverseOnly = OwnerOnly | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly SandboxUser? _owner;

    public RunDirectories(string root, SandboxUser? owner, ILogger logger)
    {
        Root = root;
        _owner = owner;
        Directory.CreateDirectory(root);
        var swept = SweepOrphans(root);
        if (swept > 0)
        {
            logger.LogInformation("Removed {Count} run directories left behind by servers that are no longer running", swept);
        }

        Instance = CreateUnique(root, $"{InstancePrefix}{Environment.ProcessId}-", TraverseOnly);
        SeccompFilterPath = Path.Combine(Instance, "seccomp.bpf");
        SeccompFilter.WriteTo(SeccompFilterPath);
    }

    public string Root { get; }

    /// <summary>This server instance's directory; every run directory is a child of it.</summary>
    public string Instance { get; }

    public string SeccompFilterPath { get; }

    /// <summary><c>/dev/shm</c> (a tmpfs) when present, else the temp directory.</summary>
    public static string DefaultRoot() => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>A fresh run directory, writable only by the sandbox user (or this server when there is none). Short: socket paths are capped at 108 bytes.</summary>
    public string Create()
    {
        var directory = CreateUnique(Instance, "", OwnerOnly);
        if (_owner is not null && Native.ChangeOwner(directory, _owner.Uid, _owner.Gid) is var error and not 0)
        {
            Delete(directory);
            throw new IOException($"Could not hand the run directory to the sandbox user (errno {error}).");
        }

        return directory;
    }

    /// <summary>
    /// Called once the adapter listens: takes the directory back from the sandbox user and removes whatever else the code
    /// put there while it loaded, so nothing it writes can outlive it or be run from the host. Returns how many entries were removed.
    /// </summary>
    public int Seal(string directory)
    {
        if (_owner is null)
        {
            return 0;
        }

        if (Native.ChangeOwner(directory, 0, 0) is var error and not 0)
        {
            throw new IOException($"Could not seal the run directory (errno {error}).");
        }

        SetMode(directory, OwnerOnly);
        var removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            var info = new FileInfo(entry);
            var isSocket = Path.GetFileName(entry) == SocketName && info.LinkTarget is null && !info.Attributes.HasFlag(FileAttributes.Directory);
            if (isSocket)
            {
                // Only the server (root) connects; a host process running as the sandbox uid must not.
                Native.ChangeOwner(entry, 0, 0);
                SetMode(entry, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                continue;
            }

            removed++;
            if (info.LinkTarget is null && info.Attributes.HasFlag(FileAttributes.Directory))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        return removed;
    }

    public static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone already, or still held for a moment by a dying child: the next start's sweep removes it.
        }
    }

    /// <summary>Removes the instance directories of servers whose pid is gone; never another live instance's. Returns how many.</summary>
    internal static int SweepOrphans(string root)
    {
        var removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(root, InstancePrefix + "*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (var directory in candidates)
        {
            if (new DirectoryInfo(directory).LinkTarget is null
                && OwnerPid(Path.GetFileName(directory)) is { } pid && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                Delete(directory);
                removed += Directory.Exists(directory) ? 0 : 1;
            }
        }

        return removed;
    }

    /// <summary>The server pid in an instance name <c>fp-run-&lt;pid&gt;-…</c>; null for other names.</summary>
    internal static int? OwnerPid(string name)
    {
        if (!name.StartsWith(InstancePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = name.IndexOf('-', InstancePrefix.Length);
        return end > InstancePrefix.Length
            && int.TryParse(name.AsSpan(InstancePrefix.Length, end - InstancePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? pid
            : null;
    }

    /// <summary>Deletes this instance's directory (shutdown).</summary>
    public void Dispose() => Delete(Instance);

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static string CreateUnique(string parent, string prefix, UnixFileMode mode)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var path = Path.Combine(parent, prefix + Guid.NewGuid().ToString("N")[..12]);
            var error = Native.MakeDirectory(path, mode);
            if (error == 0)
            {
                SetMode(path, mode); // mkdir's mode is masked by the umask.
                return path;
            }

            if (error != Native.Eexist)
            {
                throw new IOException($"Could not create a run directory (errno {error}).");
            }
        }

        throw new IOException("Could not create a unique run directory.");
    }
}
