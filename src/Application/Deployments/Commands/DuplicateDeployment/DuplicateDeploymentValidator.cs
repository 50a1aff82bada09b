using FluentValidation;

namespace FunctionsPlatform.Application.Deployments.Commands.DuplicateDeployment;

internal sealed class DuplicateDeploymentValidator : AbstractValidator<DuplicateDeploymentCommand>
{
    public DuplicateDeploymentValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().OverridePropertyName("functionId");
        RuleFor(c => c.DeploymentId).NotEmpty().WithMessage("Param \"deploymentId\" is not optional.").OverridePropertyName("deploymentId");
    }
}
