using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Executions.Running;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Executions.Commands.CreateExecution;

/// <summary>
/// Appwrite's createExecution. Synchronous: runs the function's current code (active deployment, else default version)
/// and answers the finished execution. <see cref="Async"/>: saves a <c>waiting</c> row and answers at once; the worker
/// is woken after the commit. With <see cref="ScheduledAt"/>: a <c>scheduled</c> row (trigger <c>schedule</c>) that the
/// worker claims when due. Self-saving: a synchronous run must not hold the write transaction while user code runs.
/// </summary>
/// <param name="Path">May carry a query string; default <c>/</c>.</param>
/// <param name="Method">Default <c>POST</c>.</param>
/// <param name="WorkspaceId">When set (/v1's project), a function of another workspace is <c>function_not_found</c>.</param>
[RequiresScope(Scope.ExecutionsWrite)]
public sealed record CreateExecutionCommand(
    string FunctionId,
    string? Body = null,
    bool Async = false,
    string? Path = null,
    string? Method = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    DateTimeOffset? ScheduledAt = null,
    string? WorkspaceId = null) : ISelfSavingCommand<ExecutionDto>;

internal sealed class CreateExecutionHandler(
    IFunctionAccess access,
    IReadRepository<Function> functions,
    FunctionSnapshotCache snapshots,
    IRepository<Execution> executions,
    IUnitOfWork unitOfWork,
    SynchronousExecutionRunner runner,
    IIdGenerator ids,
    ICurrentPrincipal principal,
    TimeProvider clock) : IRequestHandler<CreateExecutionCommand, ExecutionDto>
{

    public async Task<ExecutionDto> Handle(CreateExecutionCommand request, CancellationToken cancellationToken)
    {
        var function = await VisibleFunctionAsync(request, cancellationToken);
        function.EnsureLive();
        var (deploymentId, versionId) = ExecutionCode.CurrentOf(function);
        if (deploymentId is null && versionId is null)
        {
            throw new NotFoundException("Deployment", null, "deployment_not_found");
        }

        var headers = (request.Headers ?? new Dictionary<string, string>())
            .Select(h => new HeaderPair(h.Key.ToLowerInvariant(), h.Value)).ToList();
        var background = request.Async || request.ScheduledAt is not null;
        var execution = Execution.Create(
            ids.NewId(IdPrefixes.Execution), function.Id, function.WorkspaceId,
            request.ScheduledAt is null ? ExecutionTrigger.Http : ExecutionTrigger.Schedule,
            request.Method ?? "POST", request.Path ?? "/", headers, request.Body ?? "", clock.GetUtcNow(),
            deploymentId, versionId, request.ScheduledAt, async: background, createdBy: NullIfEmpty(principal.UserId));

        if (background)
        {
            executions.Add(execution);
            // Saved outside a transaction, so the queued event (the worker's wake-up) is dispatched right after the commit.
            await unitOfWork.SaveChangesAsync(cancellationToken);
            return ExecutionDto.From(execution, function.Timeout, clock.GetUtcNow());
        }

        if ((await runner.RunAndRecordAsync(function, execution, requestBody: null, cancellationToken)).StoppedAtSyncLimit)
        {
            // The run was stopped and recorded as failed; the caller is told it waited past the synchronous limit.
            throw new RequestTimeoutException(
                $"Synchronous function execution timed out. Use asynchronous execution instead, or ensure the execution duration doesn't exceed {SynchronousExecutionRunner.MaxSyncTimeoutSeconds} seconds.",
                "function_synchronous_timeout");
        }

        return ExecutionDto.From(execution, function.Timeout, clock.GetUtcNow());
    }

    /// <summary>
    /// The function from the same short-lived snapshots as /api invokes (a saved change evicts it on this instance at
    /// once), checked exactly as a fresh read would be: visible to the caller, and in the request's project when one is
    /// named (another project's function, or a deleted one, is not found).
    /// </summary>
    private async Task<Function> VisibleFunctionAsync(CreateExecutionCommand request, CancellationToken ct)
    {
        var function = await snapshots.FunctionAsync(request.FunctionId, () => functions.FirstOrDefaultAsync(new FunctionByIdSpec(request.FunctionId), ct))
            ?? throw FunctionAccess.NotFound(request.FunctionId);
        await access.EnsureVisibleAsync(function, ct);
        if (request.WorkspaceId is { } workspaceId && (function.WorkspaceId != workspaceId || function.IsDeleted))
        {
            throw FunctionAccess.NotFound(request.FunctionId);
        }

        return function;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
