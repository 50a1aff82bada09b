using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Executions.Queries.ListExecutions;

/// <summary>
/// GET /v1/functions/{id}/executions: one function's executions through Appwrite <c>queries[]</c> (executions'
/// allow-list), offset or row-cursor paged. Statuses are the reported ones, in the rows and in a <c>status</c> filter.
/// </summary>
[RequiresScope(Scope.ExecutionsRead)]
public sealed record ListExecutionsQuery(string WorkspaceId, string FunctionId, IReadOnlyList<string> Queries, bool Total = true)
    : IQuery<Page<ExecutionDto>>, IReadsExecutionRecords;

internal sealed class ListExecutionsHandler(
    IFunctionAccess functions, ListQueryBuilder lists, IListQueryRunner runner, IExecutionPages pages, TimeProvider clock)
    : IRequestHandler<ListExecutionsQuery, Page<ExecutionDto>>
{
    public async Task<Page<ExecutionDto>> Handle(ListExecutionsQuery request, CancellationToken cancellationToken)
    {
        var list = lists.FromAppwrite<Execution>(ExecutionQueryModel.Appwrite, request.Queries, request.Total);
        var function = await functions.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken);
        var now = clock.GetUtcNow();
        if (PlainExecutionPage.Of(list) is { } plain)
        {
            return await plain.ReadAsync(pages, function.Id, function.Timeout, now, cancellationToken);
        }

        list = (list with { Filter = ReportedStatusFilter.Rewrite(list.Filter, function.Timeout, now) }).Within(new ExecutionsOfFunctionSpec(function.Id));
        var page = await runner.RunAsync(list, cancellationToken);
        return page.Map(e => ExecutionDto.From(e, function.Timeout, now));
    }
}

/// <summary>Every execution of one function (the caller was checked through the function).</summary>
public sealed class ExecutionsOfFunctionSpec : Specification<Execution>
{
    public ExecutionsOfFunctionSpec(string functionId) => Query.Where(e => e.FunctionId == functionId);
}

internal sealed class ListExecutionsValidator : AbstractValidator<ListExecutionsQuery>
{
    public ListExecutionsValidator()
    {
        RuleFor(q => q.FunctionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
    }
}
