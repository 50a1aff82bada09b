using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FunctionsPlatform.Infrastructure.Observability;

/// <summary>
/// The platform's OpenTelemetry sources: one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named
/// <see cref="Name"/>. Instruments are created once; recording is a lock-free add with a stack-allocated tag list.
/// No instrument is tagged with a function, workspace or user id: metrics carry counts, not tenant data, and stay bounded in cardinality.
/// </summary>
public static class PlatformTelemetry
{
    public const string Name = "FunctionsPlatform";

    public static readonly ActivitySource Activities = new(Name);

    internal static readonly Meter Meter = new(Name);

    /// <summary>Runs finished by the executor, tagged with the runtime and the outcome (<c>ok</c> or the failure kind).</summary>
    internal static readonly Counter<long> Invocations = Meter.CreateCounter<long>("functions.runtime.invocations", description: "Executions run by the runtime executor.");

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("functions.runtime.duration", "s", "Wall-clock time of one execution in the executor, queue wait and cold start included.");

    internal static readonly Counter<long> ColdStarts = Meter.CreateCounter<long>("functions.runtime.cold_starts", description: "Executions that had to start a process.");

    /// <summary>Cold starts served by specializing a generic process, tagged with the runtime and <c>outcome</c> = <c>specialized</c> or <c>fallback</c>.</summary>
    internal static readonly Counter<long> Specializations = Meter.CreateCounter<long>("functions.runtime.specializations", description: "Cold starts that took a generic process: specialized, or fell back to a full start.");

    internal static readonly Histogram<double> InitTime = Meter.CreateHistogram<double>("functions.runtime.init_time", "s", "Time to start a runtime process until its adapter listens (code loaded).");

    internal static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("functions.runtime.queue_wait", "s", "Time an execution waited for a concurrency slot.");

    /// <summary>Executions refused with 429, tagged with the cap that refused them (<c>function</c> or <c>server</c>).</summary>
    internal static readonly Counter<long> Rejections = Meter.CreateCounter<long>("functions.runtime.rejections", description: "Executions refused (429) because a concurrency cap was full.");

    /// <summary>Failed executions by kind: function_error, load_failed, timed_out, process_exited, runtime_unavailable.</summary>
    internal static readonly Counter<long> Errors = Meter.CreateCounter<long>("functions.runtime.errors", description: "Executions that failed, by kind.");

    /// <summary>Execution records committed by the journal.</summary>
    internal static readonly Counter<long> JournalRecords = Meter.CreateCounter<long>("functions.journal.records", description: "Execution records committed by the group-commit journal.");

    private static Func<(int Busy, int Idle, long MemoryMb)>? _poolState;

    static PlatformTelemetry()
    {
        Meter.CreateObservableGauge("functions.runtime.processes", () =>
        {
            var (busy, idle, _) = _poolState?.Invoke() ?? default;
            return new[]
            {
                new Measurement<int>(busy, new KeyValuePair<string, object?>("state", "busy")),
                new Measurement<int>(idle, new KeyValuePair<string, object?>("state", "idle")),
            };
        }, description: "Live runtime processes by state.");
        Meter.CreateObservableGauge("functions.runtime.memory", () => (_poolState?.Invoke() ?? default).MemoryMb, "MBy",
            "Sampled memory (PSS) of live runtime processes, as counted against Runtime:MemoryBudgetMb.");
    }

    /// <summary>Points the pool gauges at the server's executor (one per server; the last one registered wins).</summary>
    internal static void ObservePool(Func<(int Busy, int Idle, long MemoryMb)> state) => _poolState = state;
}
