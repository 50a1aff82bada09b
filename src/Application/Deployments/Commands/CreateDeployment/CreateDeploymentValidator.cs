using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Deployments.Commands.CreateDeployment;

internal sealed class CreateDeploymentValidator : AbstractValidator<CreateDeploymentCommand>
{
    public static readonly string[] Types = ["manual", "cli", "vcs"];

    public CreateDeploymentValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().OverridePropertyName("functionId");
        RuleFor(c => c.Type).Must(t => Types.Contains(t)).WithMessage("Type must be manual, cli or vcs.").OverridePropertyName("type");
        RuleFor(c => c.UploadId)
            .Matches(IdPrefixes.CustomIdPattern).WithMessage("The upload id must be at most 36 characters of a-z, A-Z, 0-9, '.', '-' and '_', not starting with a special character.")
            .When(c => c.UploadId is not null).OverridePropertyName("x-appwrite-id");
    }
}

/// <summary>The form fields, read after the archive they may follow: checked by the handler once they are there.</summary>
internal sealed class DeploymentUploadFieldsValidator : AbstractValidator<DeploymentUploadFields>
{
    public DeploymentUploadFieldsValidator()
    {
        RuleFor(f => f.Entrypoint).MaximumLength(FunctionLimits.EntrypointMaxLength).OverridePropertyName("entrypoint");
        RuleFor(f => f.Commands).MaximumLength(FunctionLimits.CommandsMaxLength).OverridePropertyName("commands");
    }
}
