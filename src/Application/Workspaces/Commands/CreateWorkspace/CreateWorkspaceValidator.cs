using FluentValidation;
using FunctionsPlatform.Domain.Workspaces;

namespace FunctionsPlatform.Application.Workspaces.Commands.CreateWorkspace;

internal sealed class CreateWorkspaceValidator : AbstractValidator<CreateWorkspaceCommand>
{
    public CreateWorkspaceValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(Workspace.NameMaxLength);
        RuleFor(c => c.Id).Must(id => id is null || WorkspaceErrors.IsValidChosenId(id))
            .WithMessage("'id' must match [a-zA-Z0-9][a-zA-Z0-9._-]{0,35}.");
    }
}
