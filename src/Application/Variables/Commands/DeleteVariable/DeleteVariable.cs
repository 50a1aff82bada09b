using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Variables.Commands.UpdateVariable;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Commands.DeleteVariable;

/// <summary>DELETE /v1/functions/{id}/variables/{variableId}.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DeleteVariableCommand(string WorkspaceId, string FunctionId, string VariableId) : ICommand<SuccessDto>, IWorkspaceScoped;

internal sealed class DeleteVariableHandler(IFunctionAccess access, IRepository<Variable> variables, TimeProvider clock)
    : MediatR.IRequestHandler<DeleteVariableCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(DeleteVariableCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken, forWrite: true);
        var variable = await variables.FirstOrDefaultAsync(new VariableOfFunctionSpec(function.Id, request.VariableId, tracking: true), cancellationToken)
            ?? throw UpdateVariableHandler.VariableNotFound(request.VariableId);
        variable.Delete(clock.GetUtcNow());
        variables.Remove(variable);
        return new SuccessDto(true);
    }
}
