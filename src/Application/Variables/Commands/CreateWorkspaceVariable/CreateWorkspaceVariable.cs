using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Variables.Commands.CreateVariable;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Commands.CreateWorkspaceVariable;

/// <summary>
/// POST /v1/project/variables: a variable every function of the workspace sees. Changing what functions run with is a
/// write to functions, so it takes the functions write scope. <c>secret</c> defaults to true.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateWorkspaceVariableCommand(string WorkspaceId, string? VariableId, string? Key, string? Value, bool? Secret)
    : ICommand<WorkspaceVariableDto>, IWorkspaceScoped;

internal sealed class CreateWorkspaceVariableHandler(
    IRepository<WorkspaceVariable> variables, IReadRepository<Variable> functionVariables, IIdGenerator ids, TimeProvider clock)
    : MediatR.IRequestHandler<CreateWorkspaceVariableCommand, WorkspaceVariableDto>
{
    public async Task<WorkspaceVariableDto> Handle(CreateWorkspaceVariableCommand request, CancellationToken cancellationToken)
    {
        var id = request.VariableId is null or CustomIds.Unique ? ids.NewId(IdPrefixes.Variable) : request.VariableId;
        if (await variables.AnyAsync(new WorkspaceVariableClashSpec(request.WorkspaceId, id, request.Key!), cancellationToken)
            || await functionVariables.AnyAsync(new VariableIdTakenSpec(id), cancellationToken))
        {
            throw CreateVariableHandler.VariableConflict("project");
        }

        var variable = WorkspaceVariable.Create(id, request.WorkspaceId, request.Key!, request.Value!, request.Secret ?? true, clock.GetUtcNow());
        variables.Add(variable);
        return WorkspaceVariableDto.From(variable);
    }
}

internal sealed class CreateWorkspaceVariableValidator : AbstractValidator<CreateWorkspaceVariableCommand>
{
    public CreateWorkspaceVariableValidator()
    {
        RuleFor(c => c.WorkspaceId).NotEmpty();
        RuleFor(c => c.VariableId).Must(id => id is null || CustomIds.IsValid(id)).WithMessage(CustomIds.Rule);
        RuleFor(c => c.Key).VariableKey(required: true);
        RuleFor(c => c.Value).VariableValue(required: true);
    }
}
