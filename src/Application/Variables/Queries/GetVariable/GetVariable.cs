using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Variables.Commands.UpdateVariable;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Queries.GetVariable;

/// <summary>GET /v1/functions/{id}/variables/{variableId}: another function's variable is <c>variable_not_found</c>.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record GetVariableQuery(string WorkspaceId, string FunctionId, string VariableId) : IQuery<VariableDto>, IWorkspaceScoped;

internal sealed class GetVariableHandler(IFunctionAccess access, IReadRepository<Variable> variables) : MediatR.IRequestHandler<GetVariableQuery, VariableDto>
{
    public async Task<VariableDto> Handle(GetVariableQuery request, CancellationToken cancellationToken)
    {
        var function = await access.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken);
        var variable = await variables.FirstOrDefaultAsync(new VariableOfFunctionSpec(function.Id, request.VariableId), cancellationToken)
            ?? throw UpdateVariableHandler.VariableNotFound(request.VariableId);
        return VariableDto.From(variable);
    }
}
