using FluentValidation;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Deployments.Commands.CreateDeployment;

internal sealed class CreateDeploymentValidator : AbstractValidator<CreateDeploymentCommand>
{
    public static readonly string[] Types = ["manual", "cli", "vcs"];

    public CreateDeploymentValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().OverridePropertyName("functionId");
        RuleFor(c => c.Entrypoint).MaximumLength(FunctionLimits.EntrypointMaxLength).OverridePropertyName("entrypoint");
        RuleFor(c => c.Commands).MaximumLength(FunctionLimits.CommandsMaxLength).OverridePropertyName("commands");
        RuleFor(c => c.Type).Must(t => Types.Contains(t)).WithMessage("Type must be manual, cli or vcs.").OverridePropertyName("type");
        RuleFor(c => c.UploadId)
            .Matches(IdPrefixes.CustomIdPattern).WithMessage("The upload id must be at most 36 characters of a-z, A-Z, 0-9, '.', '-' and '_', not starting with a special character.")
            .When(c => c.UploadId is not null).OverridePropertyName("x-appwrite-id");
    }
}
