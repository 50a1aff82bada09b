using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Variables.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Commands.CreateVariable;

/// <summary>
/// POST /v1/functions/{id}/variables. <c>variableId</c> is optional (older formats and the CLI send none; <c>unique()</c>
/// too gives a generated <c>var_…</c> id); <c>secret</c> defaults to true.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateVariableCommand(string WorkspaceId, string FunctionId, string? VariableId, string? Key, string? Value, bool? Secret)
    : ICommand<VariableDto>, IWorkspaceScoped;

internal sealed class CreateVariableHandler(IFunctionAccess access, IRepository<Variable> variables, IIdGenerator ids, TimeProvider clock)
    : MediatR.IRequestHandler<CreateVariableCommand, VariableDto>
{
    public async Task<VariableDto> Handle(CreateVariableCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken, forWrite: true);
        var id = request.VariableId is null or CustomIds.Unique ? ids.NewId(IdPrefixes.Variable) : request.VariableId;
        if (await variables.AnyAsync(new VariableClashSpec(function.Id, id, request.Key!), cancellationToken))
        {
            throw VariableConflict();
        }

        var variable = Variable.Create(id, function.Id, request.Key!, request.Value!, request.Secret ?? true, clock.GetUtcNow());
        variables.Add(variable);
        return VariableDto.From(variable);
    }

    /// <summary>Appwrite's 409 for a taken id or key; <paramref name="owner"/> is "function" or "project".</summary>
    internal static ConflictException VariableConflict(string owner = "function") =>
        new($"Variable with the same ID or key already exists in this {owner}.", "variable_already_exists");
}

internal sealed class CreateVariableValidator : AbstractValidator<CreateVariableCommand>
{
    public CreateVariableValidator()
    {
        RuleFor(c => c.VariableId).Must(id => id is null || CustomIds.IsValid(id)).WithMessage(CustomIds.Rule);
        RuleFor(c => c.Key).VariableKey(required: true);
        RuleFor(c => c.Value).VariableValue(required: true);
    }
}
