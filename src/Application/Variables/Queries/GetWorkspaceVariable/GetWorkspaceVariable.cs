using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Variables.Commands.UpdateWorkspaceVariable;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Queries.GetWorkspaceVariable;

/// <summary>GET /v1/project/variables/{variableId}.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record GetWorkspaceVariableQuery(string WorkspaceId, string VariableId) : IQuery<WorkspaceVariableDto>, IWorkspaceScoped;

internal sealed class GetWorkspaceVariableHandler(IReadRepository<WorkspaceVariable> variables)
    : MediatR.IRequestHandler<GetWorkspaceVariableQuery, WorkspaceVariableDto>
{
    public async Task<WorkspaceVariableDto> Handle(GetWorkspaceVariableQuery request, CancellationToken cancellationToken) =>
        WorkspaceVariableDto.From(
            await variables.FirstOrDefaultAsync(new VariableOfWorkspaceSpec(request.WorkspaceId, request.VariableId), cancellationToken)
            ?? throw UpdateWorkspaceVariableHandler.NotFound(request.VariableId));
}
