using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Variables.Commands.UpdateWorkspaceVariable;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Commands.DeleteWorkspaceVariable;

/// <summary>DELETE /v1/project/variables/{variableId}.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DeleteWorkspaceVariableCommand(string WorkspaceId, string VariableId) : ICommand<SuccessDto>, IWorkspaceScoped;

internal sealed class DeleteWorkspaceVariableHandler(IRepository<WorkspaceVariable> variables, TimeProvider clock)
    : MediatR.IRequestHandler<DeleteWorkspaceVariableCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(DeleteWorkspaceVariableCommand request, CancellationToken cancellationToken)
    {
        var variable = await variables.FirstOrDefaultAsync(new VariableOfWorkspaceSpec(request.WorkspaceId, request.VariableId, tracking: true), cancellationToken)
            ?? throw UpdateWorkspaceVariableHandler.NotFound(request.VariableId);
        variable.Delete(clock.GetUtcNow());
        variables.Remove(variable);
        return new SuccessDto(true);
    }
}
