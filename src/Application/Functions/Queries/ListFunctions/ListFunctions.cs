using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Common.Validation;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Application.Workspaces;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Functions.Queries.ListFunctions;

/// <summary>GET /api/functions: the caller's functions (plus system ones), narrowed by the seed's parameters, filtered, ordered, keyset-paged.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListFunctionsQuery(FunctionListScope Parameters, ListRequest List) : IQuery<Page<FunctionDto>>, IReadsExecutionRecords;

internal sealed class ListFunctionsHandler(
    IWorkspaceAccess workspaces, IReadRepository<Function> functions, IFunctionCounts counts, ListQueryBuilder lists, IListQueryRunner runner, IMapper mapper)
    : MediatR.IRequestHandler<ListFunctionsQuery, Page<FunctionDto>>
{
    public async Task<Page<FunctionDto>> Handle(ListFunctionsQuery request, CancellationToken cancellationToken)
    {
        var list = lists.FromApi(FunctionQueryModel.Instance, request.List);
        if (request.Parameters.WorkspaceId is { } workspaceId)
        {
            try
            {
                await workspaces.EnsureAccessAsync(workspaceId, cancellationToken);
            }
            catch (NotFoundException)
            {
                // Filtering by a workspace the caller cannot see yields nothing, as for any unknown value.
                return new Page<FunctionDto>([], new PageInfo(0, false, false, null, null));
            }
        }

        var visible = await workspaces.VisibleWorkspaceIdsAsync(cancellationToken);
        var systemFunctionsExist = await functions.AnyAsync(new SystemFunctionsSpec(), cancellationToken);
        list = list.Within(FunctionsVisibleToCallerSpec.Parts(visible, request.Parameters, systemFunctionsExist));
        if (list.Filter is null && !Narrowed(request.Parameters))
        {
            var workspaceIds = request.Parameters.WorkspaceId is { } one ? [one] : visible;
            list = list.WithKnownTotal(await counts.CountLiveAsync(workspaceIds, systemFunctionsExist, cancellationToken));
        }

        var page = await runner.RunAsync(list, cancellationToken);
        return page.Map(mapper.Map<FunctionDto>);
    }

    /// <summary>
    /// The maintained per-workspace counts answer <c>total</c> when the scope is "every live function the caller can
    /// see" (optionally one workspace) and there is no filter; any other narrowing is counted by the runner.
    /// </summary>
    private static bool Narrowed(FunctionListScope scope) =>
        scope.IncludeDeleted != DeletedVisibility.Active || scope.Source is not null || scope.Ids is not null
        || scope.Name is not null || scope.DefaultVersionId is not null || scope.System is not null || scope.CreatedBy is not null
        || scope.RuntimeUserId is not null || scope.RetentionTier is not null;
}

internal sealed class ListFunctionsValidator : AbstractValidator<ListFunctionsQuery>
{
    public ListFunctionsValidator()
    {
        RuleFor(q => q.List).ListRequest();
        RuleFor(q => q.Parameters.Source).Must(s => s is null or "workspace" or "system" or "integration")
            .WithMessage("'source' must be one of: workspace, system, integration.").OverridePropertyName("source");
        RuleFor(q => q.Parameters.Ids).Must(ids => ids is null || ids.Count <= 100)
            .WithMessage("'ids' holds at most 100 ids.").OverridePropertyName("ids");
        RuleForEach(q => q.Parameters.Ids).NotEmpty().MaximumLength(64).OverridePropertyName("ids");
        RuleFor(q => q.Parameters.Name).MaximumLength(FunctionLimits.NameMaxLength).OverridePropertyName("name");
        RuleFor(q => q.Parameters.WorkspaceId).MaximumLength(64).OverridePropertyName("workspace_id");
    }
}
