using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Queries.ListVariables;

/// <summary>GET /v1/functions/{id}/variables: all of the function's variables in creation order (a function has few).</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListVariablesQuery(string WorkspaceId, string FunctionId) : IQuery<IReadOnlyList<VariableDto>>, IWorkspaceScoped;

internal sealed class ListVariablesHandler(IFunctionAccess access, IReadRepository<Variable> variables)
    : MediatR.IRequestHandler<ListVariablesQuery, IReadOnlyList<VariableDto>>
{
    public async Task<IReadOnlyList<VariableDto>> Handle(ListVariablesQuery request, CancellationToken cancellationToken)
    {
        var function = await access.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken);
        return [.. (await variables.ListAsync(new VariablesOfFunctionInOrderSpec(function.Id), cancellationToken)).Select(VariableDto.From)];
    }
}
