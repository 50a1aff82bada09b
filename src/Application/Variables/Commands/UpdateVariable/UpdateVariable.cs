using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Variables.Commands.CreateVariable;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Commands.UpdateVariable;

/// <summary>PUT /v1/functions/{id}/variables/{variableId}: partial; what is omitted is kept; a secret stays secret.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record UpdateVariableCommand(string WorkspaceId, string FunctionId, string VariableId, string? Key, string? Value, bool? Secret)
    : ICommand<VariableDto>, IWorkspaceScoped;

internal sealed class UpdateVariableHandler(IFunctionAccess access, IRepository<Variable> variables, TimeProvider clock)
    : MediatR.IRequestHandler<UpdateVariableCommand, VariableDto>
{
    public async Task<VariableDto> Handle(UpdateVariableCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken, forWrite: true);
        var variable = await variables.FirstOrDefaultAsync(new VariableOfFunctionSpec(function.Id, request.VariableId, tracking: true), cancellationToken)
            ?? throw VariableNotFound(request.VariableId);
        if (request.Key is not null && request.Key != variable.Key
            && await variables.AnyAsync(new VariableClashSpec(function.Id, null, request.Key, exceptId: variable.Id), cancellationToken))
        {
            throw CreateVariableHandler.VariableConflict();
        }

        variable.Update(request.Key, request.Value, request.Secret, clock.GetUtcNow());
        return VariableDto.From(variable);
    }

    internal static NotFoundException VariableNotFound(string id) => new("Variable", id, "variable_not_found");
}

internal sealed class UpdateVariableValidator : AbstractValidator<UpdateVariableCommand>
{
    public UpdateVariableValidator()
    {
        RuleFor(c => c.Key).VariableKey(required: false);
        RuleFor(c => c.Value).VariableValue(required: false);
        RuleFor(c => c).Must(c => c.Key is not null || c.Value is not null || c.Secret is not null)
            .WithName("key").OverridePropertyName("key")
            .WithMessage("Missing key, value or secret: at least one of them must be given.");
    }
}
