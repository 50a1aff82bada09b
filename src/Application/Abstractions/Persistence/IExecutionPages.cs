using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Abstractions.Persistence;

/// <summary>
/// A page of one function's executions in creation order (id breaking ties), cut by offset, read straight into the
/// fields callers see: no entity, no change tracking, the page's ids found on the (function, created, id) index alone,
/// and the capped count. The unfiltered list, the one clients page through, takes this path.
/// </summary>
public interface IExecutionPages
{
    Task<ExecutionPage> ReadAsync(ExecutionPageRequest request, CancellationToken ct);
}

/// <param name="Take">Rows to read (a page's limit plus one, to tell whether more follow).</param>
/// <param name="CountUpTo">Count the function's executions up to this many (null: no count).</param>
public sealed record ExecutionPageRequest(string FunctionId, bool Descending, int Offset, int Take, int? CountUpTo);

/// <param name="Counted">The function's executions counted, at most the request's <c>CountUpTo</c> (null when not asked).</param>
public sealed record ExecutionPage(IReadOnlyList<StoredExecution> Rows, long? Counted);

/// <summary>An execution's stored fields that callers read (its request body and lease are left out).</summary>
public sealed record StoredExecution(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string FunctionId,
    string WorkspaceId,
    string? DeploymentId,
    string? VersionId,
    ExecutionTrigger Trigger,
    ExecutionStatus Status,
    string RequestMethod,
    string RequestPath,
    IReadOnlyList<HeaderPair> RequestHeaders,
    int ResponseStatusCode,
    string? ResponseBody,
    IReadOnlyList<HeaderPair> ResponseHeaders,
    string Logs,
    string Errors,
    double Duration,
    DateTimeOffset? ScheduledAt,
    string? CreatedBy,
    bool ColdStart,
    double InitDurationMs,
    ExecutionErrorKind ErrorKind);
