using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Variables;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;
using MediatR;

namespace FunctionsPlatform.Application.Functions.Queries.ListAppwriteFunctions;

/// <summary>
/// GET /v1/functions: the workspace's live functions through Appwrite <c>queries[]</c> (functions' allow-list) and
/// <c>search</c>, each with its variables as the Function model carries them.
/// </summary>
/// <param name="Search">
/// Appwrite searches <c>"{id} {name} {runtime}"</c> full-text; here a function matches when any whitespace-separated term
/// occurs (ignoring case) in its id, name or runtime.
/// </param>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListAppwriteFunctionsQuery(string WorkspaceId, IReadOnlyList<string> Queries, string? Search = null, bool Total = true)
    : IQuery<Page<FunctionDetailsDto>>, IWorkspaceScoped;

internal sealed class ListAppwriteFunctionsHandler(ListQueryBuilder lists, IListQueryRunner runner, IReadRepository<Variable> variables)
    : IRequestHandler<ListAppwriteFunctionsQuery, Page<FunctionDetailsDto>>
{
    public const int MaxSearchLength = 256;

    public async Task<Page<FunctionDetailsDto>> Handle(ListAppwriteFunctionsQuery request, CancellationToken cancellationToken)
    {
        var list = lists.FromAppwrite<Function>(FunctionQueryModel.Appwrite, request.Queries, request.Total);
        if (SearchFilter(request.Search) is { } search)
        {
            list = list with { Filter = list.Filter is null ? search : new AndFilter([list.Filter, search]) };
        }

        var page = await runner.RunAsync(list.Within(new LiveFunctionsOfWorkspaceSpec(request.WorkspaceId)), cancellationToken);
        var ids = page.Items.Select(f => f.Id).ToList();
        var vars = ids.Count == 0 ? [] : await variables.ListAsync(new VariablesOfFunctionsInOrderSpec(ids), cancellationToken);
        var byFunction = vars.ToLookup(v => v.FunctionId);
        return page.Map(f => FunctionDetailsDto.From(f, byFunction[f.Id].Select(VariableDto.From)));
    }

    private static OrFilter? SearchFilter(string? search)
    {
        var terms = (search ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Take(QueryLimits.MaxListValues).ToList();
        if (terms.Count == 0)
        {
            return null;
        }

        var model = FunctionQueryModel.Instance;
        QueryField[] fields = [model.Id, model.Fields["name"], model.Fields["runtime"]];
        return new OrFilter([.. terms.SelectMany(t => fields.Select(f => (FilterNode)new FieldFilter(f, FilterOperator.IContains, t)))]);
    }
}

/// <summary>The live (not deleted) functions of one workspace.</summary>
public sealed class LiveFunctionsOfWorkspaceSpec : Specification<Function>
{
    public LiveFunctionsOfWorkspaceSpec(string workspaceId) => Query.Where(f => f.WorkspaceId == workspaceId);
}

/// <summary>The variables of several functions (the caller was checked through the functions), in creation order.</summary>
public sealed class VariablesOfFunctionsInOrderSpec : Specification<Variable>
{
    public VariablesOfFunctionsInOrderSpec(IReadOnlyList<string> functionIds) =>
        Query.Where(v => functionIds.Contains(v.FunctionId)).OrderBy(v => v.CreatedAt).OrderBy(v => v.Id);
}

internal sealed class ListAppwriteFunctionsValidator : AbstractValidator<ListAppwriteFunctionsQuery>
{
    public ListAppwriteFunctionsValidator()
    {
        RuleFor(q => q.Search!).MaximumLength(ListAppwriteFunctionsHandler.MaxSearchLength)
            .WithMessage($"Value must be a valid string and no longer than {ListAppwriteFunctionsHandler.MaxSearchLength} chars")
            .OverridePropertyName("search").When(q => q.Search is not null);
    }
}
