using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Executions;

/// <summary>
/// An execution as callers read it. <see cref="Status"/> is the reported one: waiting/processing past the function's
/// timeout read as <c>failed</c>. <see cref="ErrorKind"/> tells the function's own failure (<c>function</c>) from the
/// platform's (<c>timeout</c>, <c>load_failed</c>, <c>process_exited</c>, <c>spawn_failed</c>, <c>not_runnable</c>).
/// </summary>
public sealed record ExecutionDto(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string FunctionId,
    string WorkspaceId,
    string? DeploymentId,
    string? VersionId,
    string Trigger,
    string Status,
    string RequestMethod,
    string RequestPath,
    IReadOnlyList<HeaderPair> RequestHeaders,
    int ResponseStatusCode,
    string ResponseBody,
    IReadOnlyList<HeaderPair> ResponseHeaders,
    string Logs,
    string Errors,
    double Duration,
    DateTimeOffset? ScheduledAt,
    string? CreatedBy,
    bool ColdStart,
    double InitDurationMs,
    string ErrorKind)
{
    public static ExecutionDto From(Execution execution, int timeoutSeconds, DateTimeOffset now) => new(
        execution.Id, execution.CreatedAt, execution.UpdatedAt, execution.FunctionId, execution.WorkspaceId, execution.DeploymentId,
        execution.VersionId, execution.Trigger.ToWire(), execution.ReportedStatus(timeoutSeconds, now).ToWire(), execution.RequestMethod,
        execution.RequestPath, execution.RequestHeaders, execution.ResponseStatusCode, execution.ResponseBody ?? "", execution.ResponseHeaders,
        execution.Logs, execution.Errors, execution.Duration, execution.ScheduledAt, execution.CreatedBy,
        execution.ColdStart, execution.InitDurationMs, execution.ErrorKind.ToWire());

    public static ExecutionDto From(StoredExecution execution, int timeoutSeconds, DateTimeOffset now) => new(
        execution.Id, execution.CreatedAt, execution.UpdatedAt, execution.FunctionId, execution.WorkspaceId, execution.DeploymentId,
        execution.VersionId, execution.Trigger.ToWire(),
        ExecutionReporting.ReportedStatus(execution.Status, execution.ScheduledAt, execution.CreatedAt, timeoutSeconds, now).ToWire(),
        execution.RequestMethod, execution.RequestPath, execution.RequestHeaders, execution.ResponseStatusCode, execution.ResponseBody ?? "",
        execution.ResponseHeaders, execution.Logs, execution.Errors, execution.Duration, execution.ScheduledAt, execution.CreatedBy,
        execution.ColdStart, execution.InitDurationMs, execution.ErrorKind.ToWire());
}
