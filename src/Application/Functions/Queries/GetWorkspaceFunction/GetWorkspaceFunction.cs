using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Variables;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Functions.Queries.GetWorkspaceFunction;

/// <summary>GET /v1/functions/{id}: the function of this workspace with its variables.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record GetWorkspaceFunctionQuery(string WorkspaceId, string FunctionId) : IQuery<FunctionDetailsDto>, IWorkspaceScoped;

internal sealed class GetWorkspaceFunctionHandler(IFunctionAccess access, IReadRepository<Variable> variables)
    : MediatR.IRequestHandler<GetWorkspaceFunctionQuery, FunctionDetailsDto>
{
    public async Task<FunctionDetailsDto> Handle(GetWorkspaceFunctionQuery request, CancellationToken cancellationToken)
    {
        var function = await access.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken);
        var vars = await variables.ListAsync(new VariablesOfFunctionInOrderSpec(function.Id), cancellationToken);
        return FunctionDetailsDto.From(function, vars.Select(VariableDto.From));
    }
}
