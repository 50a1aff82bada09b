using System.Runtime.InteropServices;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

internal static class Native
{
    public const int SigKill = 9;
    public const int Eexist = 17;

    public static void Kill(int pid, int signal)
    {
        if (pid > 1)
        {
            _ = NativeMethods.kill(pid, signal);
        }
    }

    /// <summary>mkdir(2): unlike <see cref="Directory.CreateDirectory(string)"/> it fails on an existing path, so nobody can pre-create ours.</summary>
    public static int MakeDirectory(string path, UnixFileMode mode) =>
        NativeMethods.mkdir(path, (uint)mode) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>lchown(2): never follows a symbolic link. Returns 0 or the errno.</summary>
    public static int ChangeOwner(string path, int uid, int gid) =>
        NativeMethods.lchown(path, uid, gid) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>link(2): a hard link; never follows a symbolic link at <paramref name="existing"/>. Returns 0 or the errno.</summary>
    public static int Link(string existing, string newPath) =>
        NativeMethods.link(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA5392, CA2101 // a few libc calls; LibraryImport would need unsafe blocks; paths are UTF-8 on Linux
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int signal);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int mkdir(string path, uint mode);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int lchown(string path, int owner, int group);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int link(string existing, string newPath);
#pragma warning restore SYSLIB1054, CA5392, CA2101
    }
}
