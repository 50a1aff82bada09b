using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Variables.Commands.CreateVariable;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Commands.UpdateWorkspaceVariable;

/// <summary>PUT /v1/project/variables/{variableId}: partial; what is omitted is kept; a secret stays secret.</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record UpdateWorkspaceVariableCommand(string WorkspaceId, string VariableId, string? Key, string? Value, bool? Secret)
    : ICommand<WorkspaceVariableDto>, IWorkspaceScoped;

internal sealed class UpdateWorkspaceVariableHandler(IRepository<WorkspaceVariable> variables, TimeProvider clock)
    : MediatR.IRequestHandler<UpdateWorkspaceVariableCommand, WorkspaceVariableDto>
{
    public async Task<WorkspaceVariableDto> Handle(UpdateWorkspaceVariableCommand request, CancellationToken cancellationToken)
    {
        var variable = await variables.FirstOrDefaultAsync(new VariableOfWorkspaceSpec(request.WorkspaceId, request.VariableId, tracking: true), cancellationToken)
            ?? throw NotFound(request.VariableId);
        if (request.Key is not null && request.Key != variable.Key
            && await variables.AnyAsync(new WorkspaceVariableClashSpec(request.WorkspaceId, null, request.Key, exceptId: variable.Id), cancellationToken))
        {
            throw CreateVariableHandler.VariableConflict("project");
        }

        variable.Update(request.Key, request.Value, request.Secret, clock.GetUtcNow());
        return WorkspaceVariableDto.From(variable);
    }

    /// <summary>Another workspace's variable is not found, exactly like one that does not exist.</summary>
    internal static NotFoundException NotFound(string id) => new("Variable", id, "variable_not_found");
}

internal sealed class UpdateWorkspaceVariableValidator : AbstractValidator<UpdateWorkspaceVariableCommand>
{
    public UpdateWorkspaceVariableValidator()
    {
        RuleFor(c => c.WorkspaceId).NotEmpty();
        RuleFor(c => c.Key).VariableKey(required: false);
        RuleFor(c => c.Value).VariableValue(required: false);
        RuleFor(c => c).Must(c => c.Key is not null || c.Value is not null || c.Secret is not null)
            .WithName("key").OverridePropertyName("key")
            .WithMessage("Missing key, value or secret: at least one of them must be given.");
    }
}
