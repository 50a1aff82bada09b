using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Deployments.Specifications;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Queries.ListDeployments;

/// <summary>
/// GET /v1/functions/{id}/deployments: the function's deployments through the list pipeline (Appwrite queries, the
/// deployment allow-list, <c>select</c> allowed). <c>search</c> is refused: deployments have no searchable attribute.
/// </summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListDeploymentsQuery(string WorkspaceId, string FunctionId, IReadOnlyList<string> Queries, string? Search, bool Total = true)
    : IQuery<DeploymentPage>, IWorkspaceScoped;

/// <summary>A page of deployments and the attributes an Appwrite <c>select</c> keeps (null: all).</summary>
public sealed record DeploymentPage(IReadOnlyList<DeploymentDto> Items, long Total, IReadOnlyList<string>? Select);

internal sealed class ListDeploymentsHandler(IFunctionAccess functions, ListQueryBuilder lists, IListQueryRunner runner)
    : IRequestHandler<ListDeploymentsQuery, DeploymentPage>
{
    public async Task<DeploymentPage> Handle(ListDeploymentsQuery request, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(request.Search))
        {
            throw new ValidationException("search", "Searching is not supported on deployments: they have no searchable attribute.", "general_query_invalid");
        }

        var list = lists.FromAppwrite<Deployment>(DeploymentQueryModel.Appwrite, request.Queries, request.Total);
        var function = await functions.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, ct);
        var page = await runner.RunAsync(list.Within(new DeploymentsOfFunctionSpec(function.Id)), ct);
        return new DeploymentPage([.. page.Items.Select(DeploymentDto.From)], request.Total ? page.PageInfo.Total : 0, list.Select);
    }
}
