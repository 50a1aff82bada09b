using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace FunctionsPlatform.Infrastructure.Persistence.Executions;

/// <summary>
/// Runs tasks on one dedicated thread that the OS schedules behind the request threads (ten steps nicer, on Linux): work that
/// only keeps records (the execution journal's commits) uses the CPU the calls leave idle, and gives it up the moment a
/// call needs it, instead of running beside the next call at the same priority. When the host is saturated the work
/// still progresses (at about a tenth of a core's share), and the journal's bounded queue makes callers wait before
/// records could pile up. Where lowering the priority is not possible, the thread runs at normal priority.
/// </summary>
internal sealed class BackgroundThreadScheduler : TaskScheduler, IDisposable
{
    private const int Niceness = 10;
    private readonly BlockingCollection<Task> _tasks = new();
    private readonly Thread _thread;

    public BackgroundThreadScheduler(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public override int MaximumConcurrencyLevel => 1;

    public void Dispose() => _tasks.CompleteAdding();

    protected override void QueueTask(Task task)
    {
        try
        {
            _tasks.Add(task);
        }
        catch (InvalidOperationException)
        {
            // Disposed (adding completed): a continuation that still arrives runs on the thread pool rather than never.
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Scheduler.TryExecuteTask(state.Task), (Scheduler: this, Task: task), preferLocal: false);
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    private void Run()
    {
        LowerPriority();
        foreach (var task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }

    private static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // On Linux a thread is a task with its own nice value: setpriority(PRIO_PROCESS, tid) changes this thread only.
            // Relative to the process's own (an operator may run the server niced already); 19 is the lowest.
            var tid = NativeMethods.gettid();
            _ = NativeMethods.setpriority(0, tid, Math.Min(19, NativeMethods.getpriority(0, tid) + Niceness));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without these calls: normal priority.
        }
    }

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA5392 // three libc calls; LibraryImport would need unsafe blocks
        [DllImport("libc", SetLastError = true)]
        public static extern int setpriority(int which, int who, int prio);

        [DllImport("libc", SetLastError = true)]
        public static extern int getpriority(int which, int who);

        [DllImport("libc")]
        public static extern int gettid();
#pragma warning restore SYSLIB1054, CA5392
    }
}
