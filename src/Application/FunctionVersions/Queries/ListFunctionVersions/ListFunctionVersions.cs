using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Common.Validation;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.FunctionVersions.Specifications;
using FunctionsPlatform.Domain.Identity;
using ValidationException = FunctionsPlatform.Application.Common.Errors.ValidationException;
using MapsterMapper;

namespace FunctionsPlatform.Application.FunctionVersions.Queries.ListFunctionVersions;

/// <summary>GET /api/function-versions. Non-admins must name <c>function_id</c> (400 otherwise); admins may list every version.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListFunctionVersionsQuery(VersionListScope Parameters, ListRequest List) : IQuery<Page<FunctionVersionDto>>;

internal sealed class ListFunctionVersionsHandler(ICurrentPrincipal principal, IFunctionAccess functions, ListQueryBuilder lists, IListQueryRunner runner, IMapper mapper)
    : MediatR.IRequestHandler<ListFunctionVersionsQuery, Page<FunctionVersionDto>>
{
    public async Task<Page<FunctionVersionDto>> Handle(ListFunctionVersionsQuery request, CancellationToken cancellationToken)
    {
        if (request.Parameters.FunctionId is null && (!principal.IsAdmin || principal.KeyWorkspaceId is not null))
        {
            throw new ValidationException("function_id", "'function_id' is required unless the caller is an admin.");
        }

        var list = lists.FromApi(FunctionVersionQueryModel.Instance, request.List);
        if (request.Parameters.FunctionId is { } functionId)
        {
            await functions.GetVisibleAsync(functionId, cancellationToken);
        }

        var page = await runner.RunAsync(list.Within(new FunctionVersionsVisibleSpec(request.Parameters)), cancellationToken);
        return page.Map(mapper.Map<FunctionVersionDto>);
    }
}

internal sealed class ListFunctionVersionsValidator : AbstractValidator<ListFunctionVersionsQuery>
{
    public ListFunctionVersionsValidator()
    {
        RuleFor(q => q.List).ListRequest();
        RuleFor(q => q.Parameters.FunctionId).MaximumLength(64).OverridePropertyName("function_id");
        RuleFor(q => q.Parameters.Ids).Must(ids => ids is null || ids.Count <= 100)
            .WithMessage("'ids' holds at most 100 ids.").OverridePropertyName("ids");
    }
}
