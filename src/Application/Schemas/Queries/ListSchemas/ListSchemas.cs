using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Common.Validation;
using FunctionsPlatform.Application.Schemas.Queries;
using FunctionsPlatform.Application.Schemas.Specifications;
using FunctionsPlatform.Application.Workspaces;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Schemas.Queries.ListSchemas;

/// <summary>GET /api/schemas: the schemas of the caller's workspaces; <c>workspace_id</c> narrows to one.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListSchemasQuery(string? WorkspaceId, ListRequest List) : IQuery<Page<SchemaDto>>;

internal sealed class ListSchemasHandler(IWorkspaceAccess workspaces, ListQueryBuilder lists, IListQueryRunner runner, IMapper mapper)
    : MediatR.IRequestHandler<ListSchemasQuery, Page<SchemaDto>>
{
    public async Task<Page<SchemaDto>> Handle(ListSchemasQuery request, CancellationToken cancellationToken)
    {
        var list = lists.FromApi(SchemaQueryModel.Instance, request.List);
        if (request.WorkspaceId is { } workspaceId)
        {
            try
            {
                await workspaces.EnsureAccessAsync(workspaceId, cancellationToken);
            }
            catch (NotFoundException)
            {
                // As for functions: narrowing to a workspace the caller cannot see yields nothing.
                return new Page<SchemaDto>([], new PageInfo(0, false, false, null, null));
            }
        }

        var visible = await workspaces.VisibleWorkspaceIdsAsync(cancellationToken);
        var page = await runner.RunAsync(list.Within(new SchemasVisibleToCallerSpec(visible, request.WorkspaceId)), cancellationToken);
        return page.Map(mapper.Map<SchemaDto>);
    }
}

internal sealed class ListSchemasValidator : AbstractValidator<ListSchemasQuery>
{
    public ListSchemasValidator()
    {
        RuleFor(q => q.List).ListRequest();
        RuleFor(q => q.WorkspaceId).MaximumLength(IdPrefixes.MaxIdLength).OverridePropertyName("workspace_id");
    }
}
