namespace FunctionsPlatform.Application.Abstractions.Runtime;

/// <summary>Why a run failed, so callers can tell a platform error from a function error.</summary>
public enum RuntimeFailure
{
    None,
    /// <summary>The function answered with a status ≥ 500 or threw.</summary>
    FunctionError,
    /// <summary>Syntax error, missing entrypoint or no handler export.</summary>
    LoadFailed,
    TimedOut,
    /// <summary>The process died mid-call (killed for memory, exited, crashed).</summary>
    ProcessExited,
    /// <summary>The interpreter could not be started or is not installed.</summary>
    RuntimeUnavailable,
}

public sealed record RuntimeResult(
    int StatusCode,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    string Logs,
    string Errors,
    TimeSpan Duration,
    RuntimeFailure Failure)
{
    public const int MaxBodyBytes = 1 << 20;
    public const int MaxLogBytes = 1 << 20;

    public bool Succeeded => Failure == RuntimeFailure.None;

    /// <summary>The body was cut at <see cref="MaxBodyBytes"/>; <see cref="Errors"/> says so too.</summary>
    public bool BodyTruncated { get; init; }

    /// <summary>The warm process that served the call (diagnostics, tests).</summary>
    public int ProcessId { get; init; }

    /// <summary>True when this call had to start a process.</summary>
    public bool ColdStart { get; init; }

    /// <summary>How long the cold start took: process start and module load, until the code was ready (zero when warm).</summary>
    public TimeSpan InitTime { get; init; }

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public static RuntimeResult Failed(RuntimeFailure failure, string error, TimeSpan duration, string logs = "", int statusCode = 500) =>
        new(statusCode, [], [], logs, error, duration, failure);
}
