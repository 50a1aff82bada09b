using System.Diagnostics;
using System.IO.Enumeration;
using FunctionsPlatform.Infrastructure.Runtime.Sandbox;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// The host side of a build's work directory, a tree the build's code controls: handed to the sandbox user before the
/// commands run, taken back (root's, opened read-only to everyone, no setuid/setgid/sticky bits) once every build process
/// is dead, measured while it grows. Symbolic links are never followed; nothing here runs while build code runs, except
/// <see cref="Measure"/>, which only reads.
/// </summary>
internal static class BuildDirectoryTree
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ReadableExecutable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Makes the tree the sandbox user's, so the build can write its output into it; the root becomes 0755 because bwrap
    /// enters it before setpriv runs, with no capability that bypasses permissions (the builds directory around it stays root's alone).
    /// </summary>
    public static void HandTo(string root, SandboxUser user)
    {
        ChangeOwners(root, user.Uid, user.Gid);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, ReadableExecutable);
        }
    }

    /// <summary>Makes the tree root's again and readable by the sandbox user through a read-only bind (dirs 0755, files 0644/0755).</summary>
    public static void TakeBack(string root, bool changeOwner)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (changeOwner)
        {
            ChangeOwners(root, 0, 0);
        }

        File.SetUnixFileMode(root, ReadableExecutable);
        foreach (var entry in Entries(root))
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            var executable = entry is DirectoryInfo || (entry.UnixFileMode & UnixFileMode.UserExecute) != 0;
            File.SetUnixFileMode(entry.FullName, executable ? ReadableExecutable : Readable);
        }
    }

    /// <summary>Bytes of the regular files in the tree (apparent sizes: a sparse file counts whole), stopping once past <paramref name="limit"/>.</summary>
    public static long Measure(string root, long limit)
    {
        long total = 0;
        var files = new FileSystemEnumerable<long>(root, (ref entry) => entry.IsDirectory ? 0 : entry.Length, Recursive())
        {
            ShouldIncludePredicate = (ref entry) => !entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            ShouldRecursePredicate = (ref entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        foreach (var length in files)
        {
            total += length;
            if (total > limit)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>
    /// The first entry that is not a regular file, directory or symbolic link (a FIFO would block whoever opens it, a
    /// socket cannot be archived), relative to the root; null when there is none.
    /// </summary>
    public static string? FindSpecialFile(string root)
    {
        var info = new ProcessStartInfo("find")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-P", root, "!", "-type", "f", "!", "-type", "d", "!", "-type", "l", "-print", "-quit" })
        {
            info.ArgumentList.Add(argument);
        }

        using var find = Process.Start(info) ?? throw new IOException("find did not start.");
        var found = find.StandardOutput.ReadToEnd().Trim();
        find.WaitForExit();
        if (find.ExitCode != 0)
        {
            throw new IOException($"Could not inspect the build output (find exited with code {find.ExitCode}).");
        }

        return found.Length == 0 ? null : Path.GetRelativePath(root, found);
    }

    private static void ChangeOwners(string root, int uid, int gid)
    {
        Own(root, uid, gid);
        foreach (var entry in Entries(root))
        {
            Own(entry.FullName, uid, gid);
        }
    }

    private static void Own(string path, int uid, int gid)
    {
        if (Native.ChangeOwner(path, uid, gid) is var error and not 0)
        {
            throw new IOException($"Could not change the owner of a build file (errno {error}).");
        }
    }

    /// <summary>Every entry below the root, depth first; directories reached through a symbolic link are not entered.</summary>
    private static FileSystemEnumerable<FileSystemInfo> Entries(string root) =>
        new(root, (ref entry) => entry.ToFileSystemInfo(), Recursive())
        {
            ShouldRecursePredicate = (ref entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    private static EnumerationOptions Recursive() => new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };
}
