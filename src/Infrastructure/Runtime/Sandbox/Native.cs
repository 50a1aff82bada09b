using System.Runtime.InteropServices;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

internal static class Native
{
    public const int SigKill = 9;

    public static void Kill(int pid, int signal)
    {
        if (pid > 1)
        {
            _ = NativeMethods.kill(pid, signal);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054, CA5392 // a single libc call; LibraryImport would need unsafe blocks
        public static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054, CA5392
    }
}
