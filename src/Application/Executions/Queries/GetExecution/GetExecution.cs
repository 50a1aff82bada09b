using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Executions.Specifications;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Executions.Queries.GetExecution;

/// <summary>One execution of a function the caller can see; another function's execution is "not found" here.</summary>
[RequiresScope(Scope.ExecutionsRead)]
public sealed record GetExecutionQuery(string FunctionId, string ExecutionId, string? WorkspaceId = null) : IQuery<ExecutionDto>, IReadsExecutionRecords;

internal sealed class GetExecutionHandler(IFunctionAccess functions, IReadRepository<Execution> executions, TimeProvider clock)
    : IRequestHandler<GetExecutionQuery, ExecutionDto>
{
    public async Task<ExecutionDto> Handle(GetExecutionQuery request, CancellationToken cancellationToken)
    {
        var function = request.WorkspaceId is { } workspaceId
            ? await functions.GetInWorkspaceAsync(workspaceId, request.FunctionId, cancellationToken)
            : await functions.GetVisibleAsync(request.FunctionId, cancellationToken);
        var execution = await executions.FirstOrDefaultAsync(new ExecutionByIdSpec(request.ExecutionId), cancellationToken);
        if (execution is null || execution.FunctionId != function.Id)
        {
            throw NotFound(request.ExecutionId);
        }

        return ExecutionDto.From(execution, function.Timeout, clock.GetUtcNow());
    }

    public static NotFoundException NotFound(string id) => new("Execution", id, "execution_not_found");
}

internal sealed class GetExecutionValidator : AbstractValidator<GetExecutionQuery>
{
    public GetExecutionValidator()
    {
        RuleFor(q => q.FunctionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(q => q.ExecutionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
    }
}
