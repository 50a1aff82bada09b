using System.Collections.Concurrent;
using System.Diagnostics;

namespace FunctionsPlatform.Infrastructure.Runtime.Sandbox;

/// <summary>
/// Forks every sandbox launcher from one thread that lives as long as the server. bwrap's <c>--die-with-parent</c> is
/// <c>PR_SET_PDEATHSIG</c>, and the kernel's "parent" there is the thread that forked, not the process: a runtime forked
/// from a thread-pool thread was SIGKILLed in the middle of an execution when that thread retired (after 20 s idle, or
/// sooner once a load spike had passed). This thread never ends, so the signal still comes when the server dies.
/// </summary>
internal static class SpawnThread
{
    private static readonly BlockingCollection<Action> Starts = [];

    static SpawnThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "fp-spawn" };
        thread.Start();
    }

    /// <summary>Starts the process on the spawning thread; the task completes once it is started (a fork and an exec).</summary>
    public static Task<Process> StartAsync(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Starts.Add(() =>
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        });
        return started.Task;
    }

    private static void Run()
    {
        foreach (var start in Starts.GetConsumingEnumerable())
        {
            start();
        }
    }
}
