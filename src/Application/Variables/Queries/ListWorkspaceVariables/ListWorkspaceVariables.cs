using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Queries.ListWorkspaceVariables;

/// <summary>GET /v1/project/variables: every variable of the workspace in creation order (a workspace has few).</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListWorkspaceVariablesQuery(string WorkspaceId) : IQuery<IReadOnlyList<WorkspaceVariableDto>>, IWorkspaceScoped;

internal sealed class ListWorkspaceVariablesHandler(IReadRepository<WorkspaceVariable> variables)
    : MediatR.IRequestHandler<ListWorkspaceVariablesQuery, IReadOnlyList<WorkspaceVariableDto>>
{
    public async Task<IReadOnlyList<WorkspaceVariableDto>> Handle(ListWorkspaceVariablesQuery request, CancellationToken cancellationToken) =>
        [.. (await variables.ListAsync(new VariablesOfWorkspaceSpec(request.WorkspaceId), cancellationToken)).Select(WorkspaceVariableDto.From)];
}
