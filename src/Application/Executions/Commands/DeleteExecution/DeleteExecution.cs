using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Executions.Queries.GetExecution;
using FunctionsPlatform.Application.Executions.Specifications;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Executions.Commands.DeleteExecution;

/// <summary>
/// Deletes an execution record. A scheduled one is cancelled first with a conditional delete, so a worker that claimed
/// it a moment earlier wins and the caller hears <c>execution_in_progress</c>; a running one (not timed out) is refused.
/// </summary>
[RequiresScope(Scope.ExecutionsWrite)]
public sealed record DeleteExecutionCommand(string FunctionId, string ExecutionId, string? WorkspaceId = null) : ICommand<string>, IReadsExecutionRecords;

internal sealed class DeleteExecutionHandler(
    IFunctionAccess functions, IRepository<Execution> executions, IExecutionLeases leases, TimeProvider clock)
    : IRequestHandler<DeleteExecutionCommand, string>
{
    public async Task<string> Handle(DeleteExecutionCommand request, CancellationToken cancellationToken)
    {
        var function = request.WorkspaceId is { } workspaceId
            ? await functions.GetInWorkspaceAsync(workspaceId, request.FunctionId, cancellationToken)
            : await functions.GetVisibleAsync(request.FunctionId, cancellationToken);
        var execution = await executions.FirstOrDefaultAsync(new ExecutionByIdSpec(request.ExecutionId, tracking: true), cancellationToken);
        if (execution is null || execution.FunctionId != function.Id)
        {
            throw GetExecutionHandler.NotFound(request.ExecutionId);
        }

        if (execution.Status == ExecutionStatus.Scheduled)
        {
            if (await leases.TryCancelScheduledAsync(execution.Id, cancellationToken))
            {
                return execution.Id;
            }

            // Claimed between our read and the cancel: it is running now.
            throw new DomainException(ExecutionStateErrors.InProgress);
        }

        execution.EnsureDeletable(function.Timeout, clock.GetUtcNow());
        executions.Remove(execution);
        return execution.Id;
    }
}

internal sealed class DeleteExecutionValidator : AbstractValidator<DeleteExecutionCommand>
{
    public DeleteExecutionValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(c => c.ExecutionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
    }
}
