using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Executions;

public enum ExecutionTrigger
{
    Http,
    Schedule,
    Event,
}

public enum ExecutionStatus
{
    Waiting,
    Processing,
    Completed,
    Failed,
    Scheduled,
}

/// <summary>
/// Why an execution failed, so a platform failure is never mistaken for the function's own error: <see cref="Function"/>
/// is the code's doing (it threw or answered 5xx); every other kind but <see cref="None"/> is the platform's.
/// </summary>
public enum ExecutionErrorKind
{
    None,
    /// <summary>The function's code threw or answered with a status of 500 or more.</summary>
    Function,
    /// <summary>The code could not be loaded: syntax error, missing entrypoint or handler, out of memory while loading.</summary>
    LoadFailed,
    Timeout,
    /// <summary>The process died mid-call (killed for memory, exited, crashed).</summary>
    ProcessExited,
    /// <summary>The interpreter or its sandbox could not be started on this host.</summary>
    SpawnFailed,
    /// <summary>The execution could not be started at all: its function or version is gone, or it kept killing its worker.</summary>
    NotRunnable,
}

public static class ExecutionNames
{
    public static string ToWire(this ExecutionStatus status) => status.ToString().ToLowerInvariant();
    public static string ToWire(this ExecutionTrigger trigger) => trigger.ToString().ToLowerInvariant();

    public static string ToWire(this ExecutionErrorKind kind) => kind switch
    {
        ExecutionErrorKind.None => "none",
        ExecutionErrorKind.Function => "function",
        ExecutionErrorKind.LoadFailed => "load_failed",
        ExecutionErrorKind.Timeout => "timeout",
        ExecutionErrorKind.ProcessExited => "process_exited",
        ExecutionErrorKind.SpawnFailed => "spawn_failed",
        _ => "not_runnable",
    };

    /// <summary>True for the kinds the platform is to blame for.</summary>
    public static bool IsPlatformFailure(this ExecutionErrorKind kind) => kind is not (ExecutionErrorKind.None or ExecutionErrorKind.Function);
}

public sealed record HeaderPair(string Name, string Value);

/// <summary>
/// How a run ended, as the runtime reported it: <see cref="FunctionAnswered"/> when the function's code produced a
/// response (any status), false when the run itself broke down (timeout, crash, refused). A status of 0 means none.
/// <see cref="PlatformFailure"/> says how it broke down; <see cref="ColdStart"/> and <see cref="InitSeconds"/> whether
/// the run had to start its process, and how long the start took (process start and module load).
/// </summary>
public sealed record RunOutcome(
    bool FunctionAnswered, int StatusCode, string? Body, IReadOnlyList<HeaderPair> Headers, string Logs, string Errors, double DurationSeconds,
    ExecutionErrorKind PlatformFailure = ExecutionErrorKind.SpawnFailed, bool ColdStart = false, double InitSeconds = 0);

/// <summary>
/// One run of a function. Synchronous runs are recorded when done; asynchronous and scheduled ones are durable rows
/// that a worker claims with a lease (<see cref="Claim"/>), so a crash loses none and two workers never run one twice.
/// </summary>
public sealed class Execution : AuditableEntity, IAggregateRoot
{
    public const int MaxLogLength = 1_000_000;
    public const string TruncatedMarker = "[WARNING] Logs truncated. The output exceeded 1000000 characters.\n";

    private Execution(string id, string functionId, string workspaceId, DateTimeOffset createdAt) : base(id, createdAt)
    {
        FunctionId = functionId;
        WorkspaceId = workspaceId;
    }

    public string FunctionId { get; private set; }
    public string WorkspaceId { get; private set; }
    public string? DeploymentId { get; private set; }
    public string? VersionId { get; private set; }
    public ExecutionTrigger Trigger { get; private set; }
    public ExecutionStatus Status { get; private set; }
    public string RequestMethod { get; private set; } = "POST";
    public string RequestPath { get; private set; } = "/";
    public IReadOnlyList<HeaderPair> RequestHeaders { get; private set; } = [];
    /// <summary>Kept until an asynchronous execution has run; then cleared.</summary>
    public string? RequestBody { get; private set; }
    public int ResponseStatusCode { get; private set; }
    public string? ResponseBody { get; private set; }
    public IReadOnlyList<HeaderPair> ResponseHeaders { get; private set; } = [];
    public string Logs { get; private set; } = "";
    public string Errors { get; private set; } = "";
    /// <summary>Seconds, as Appwrite reports it.</summary>
    public double Duration { get; private set; }
    public DateTimeOffset? ScheduledAt { get; private set; }
    public string? CreatedBy { get; private set; }
    public string? LeaseOwner { get; private set; }
    public DateTimeOffset? LeaseExpiresAt { get; private set; }
    public int Attempts { get; private set; }
    /// <summary>The run had to start a new process (no warm one was free).</summary>
    public bool ColdStart { get; private set; }
    /// <summary>Milliseconds the cold start took (process start and module load); 0 for a warm run.</summary>
    public double InitDurationMs { get; private set; }
    /// <summary>Whose failure it was, when it failed; <see cref="ExecutionErrorKind.None"/> otherwise.</summary>
    public ExecutionErrorKind ErrorKind { get; private set; }

    public bool IsFinished => Status is ExecutionStatus.Completed or ExecutionStatus.Failed;

    public static Execution Create(
        string id, string functionId, string workspaceId, ExecutionTrigger trigger, string method, string path,
        IReadOnlyList<HeaderPair> headers, string? body, DateTimeOffset now,
        string? deploymentId = null, string? versionId = null, DateTimeOffset? scheduledAt = null, bool async = false, string? createdBy = null)
    {
        var execution = new Execution(id, functionId, workspaceId, now)
        {
            Trigger = trigger,
            RequestMethod = method,
            RequestPath = path,
            RequestHeaders = headers,
            RequestBody = body,
            DeploymentId = deploymentId,
            VersionId = versionId,
            ScheduledAt = scheduledAt is null ? null : Truncate(scheduledAt.Value),
            CreatedBy = createdBy,
            Status = scheduledAt is not null ? ExecutionStatus.Scheduled : async ? ExecutionStatus.Waiting : ExecutionStatus.Processing,
        };
        if (execution.Status == ExecutionStatus.Waiting)
        {
            execution.Raise(new ExecutionQueued(id, functionId, now));
        }
        else if (execution.Status == ExecutionStatus.Scheduled)
        {
            execution.Raise(new ExecutionScheduled(id, functionId, execution.ScheduledAt!.Value, now));
        }

        return execution;
    }

    /// <summary>Takes the lease for a worker; refused when another live lease holds it or it already finished.</summary>
    public bool Claim(string owner, DateTimeOffset now, TimeSpan lease)
    {
        if (IsFinished || (LeaseOwner is not null && LeaseOwner != owner && LeaseExpiresAt > now))
        {
            return false;
        }

        LeaseOwner = owner;
        LeaseExpiresAt = Truncate(now + lease);
        Attempts++;
        Status = ExecutionStatus.Processing;
        Touch(now);
        return true;
    }

    /// <summary>
    /// Records how the run ended. An answer from the function completes it, unless its status is 5xx (failed, as Appwrite
    /// reports it); a run the runtime could not carry out (timeout, crash, no capacity) fails it.
    /// </summary>
    public void Conclude(RunOutcome outcome, DateTimeOffset now)
    {
        if (outcome.InitSeconds < 0 || double.IsNaN(outcome.InitSeconds) || (!outcome.ColdStart && outcome.InitSeconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), "Only a cold start has an init time, and it is never negative.");
        }

        if (!outcome.FunctionAnswered && !outcome.PlatformFailure.IsPlatformFailure())
        {
            throw new ArgumentException("A run the function did not answer failed for a platform reason.", nameof(outcome));
        }

        ColdStart = outcome.ColdStart;
        InitDurationMs = Math.Round(outcome.InitSeconds * 1000, 3);
        if (outcome.FunctionAnswered)
        {
            Status = outcome.StatusCode >= 500 ? ExecutionStatus.Failed : ExecutionStatus.Completed;
            ErrorKind = Status == ExecutionStatus.Failed ? ExecutionErrorKind.Function : ExecutionErrorKind.None;
            Finish(outcome.StatusCode, outcome.Body, outcome.Headers, outcome.Logs, outcome.Errors, outcome.DurationSeconds, now);
        }
        else
        {
            Status = ExecutionStatus.Failed;
            ErrorKind = outcome.PlatformFailure;
            Finish(outcome.StatusCode == 0 ? 500 : outcome.StatusCode, null, [], outcome.Logs, outcome.Errors, outcome.DurationSeconds, now);
        }
    }

    /// <summary>Fails an execution that could not start: its function or version is gone, or it kept killing its worker.</summary>
    public void FailUnrun(string reason, DateTimeOffset now)
    {
        Status = ExecutionStatus.Failed;
        ErrorKind = ExecutionErrorKind.NotRunnable;
        Finish(500, null, [], "", reason, 0, now);
    }

    private void Finish(int statusCode, string? body, IReadOnlyList<HeaderPair> headers, string logs, string errors, double durationSeconds, DateTimeOffset now)
    {
        ResponseStatusCode = statusCode;
        ResponseBody = body;
        ResponseHeaders = headers;
        Logs = Cap(logs);
        Errors = Cap(errors);
        Duration = durationSeconds;
        RequestBody = null;
        LeaseOwner = null;
        LeaseExpiresAt = null;
        Touch(now);
    }

    /// <summary>Keeps the tail, marked, as Appwrite does.</summary>
    public static string Cap(string text) =>
        text.Length <= MaxLogLength ? text : TruncatedMarker + text[^(MaxLogLength - TruncatedMarker.Length)..];
}
