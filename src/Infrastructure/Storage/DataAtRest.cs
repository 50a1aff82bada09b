using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace FunctionsPlatform.Infrastructure.Storage;

/// <summary>
/// Keeps what the platform stores (database and its WAL/SHM, blobs, bundles, admin and cursor keys) readable by the
/// service's own user only. At start-up, before anything is written: the process umask becomes 077, so every file it
/// creates from then on is 0600 and every directory 0700 whatever code creates it (SQLite's WAL included); the data
/// directory is made 0700, and an existing one, its direct sub-directories and its top-level files are tightened, since
/// earlier versions left them 0755/0644. No-op on Windows, where modes do not apply.
/// </summary>
public static class DataAtRest
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupAndOthers = (UnixFileMode)0b000_111_111;

    /// <summary>The data directory as <c>Storage:DataDirectory</c> names it, relative to the working directory.</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration.GetSection("Storage").Get<StorageOptions>()?.DataDirectory ?? new StorageOptions().DataDirectory);

    public static void Protect(string dataDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
            return;
        }

        _ = NativeMethods.umask(0b000_111_111);
        Directory.CreateDirectory(dataDirectory, DirectoryMode);
        Tighten(dataDirectory);
        foreach (var entry in new DirectoryInfo(dataDirectory).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is null)
            {
                Tighten(entry.FullName);
            }
        }
    }

    /// <summary>Takes every group/other bit off; the owner's bits stay as they are.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path)
    {
        var current = File.GetUnixFileMode(path);
        if ((current & GroupAndOthers) != 0)
        {
            File.SetUnixFileMode(path, current & ~GroupAndOthers);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054, CA5392 // a single libc call; LibraryImport would need unsafe blocks
        public static extern uint umask(uint mask);
#pragma warning restore SYSLIB1054, CA5392
    }
}
