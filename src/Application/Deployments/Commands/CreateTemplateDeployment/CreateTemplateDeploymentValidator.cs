using FluentValidation;

namespace FunctionsPlatform.Application.Deployments.Commands.CreateTemplateDeployment;

internal sealed class CreateTemplateDeploymentValidator : AbstractValidator<CreateTemplateDeploymentCommand>
{
    /// <summary>Appwrite's template parameters are Text(128).</summary>
    public const int MaxLength = 128;

    public static readonly string[] Types = ["commit", "branch", "tag"];

    public CreateTemplateDeploymentValidator()
    {
        RuleFor(c => c.FunctionId).NotEmpty().OverridePropertyName("functionId");
        RuleFor(c => c.Repository).NotEmpty().WithMessage(Required("repository")).MaximumLength(MaxLength).OverridePropertyName("repository");
        RuleFor(c => c.Owner).NotEmpty().WithMessage(Required("owner")).MaximumLength(MaxLength).OverridePropertyName("owner");
        RuleFor(c => c.RootDirectory).NotEmpty().WithMessage(Required("rootDirectory")).MaximumLength(MaxLength).OverridePropertyName("rootDirectory");
        RuleFor(c => c.Reference).NotEmpty().WithMessage(Required("reference")).MaximumLength(MaxLength).OverridePropertyName("reference");
        RuleFor(c => c.Type).Must(t => Types.Contains(t)).WithMessage("Type must be commit, branch or tag.").OverridePropertyName("type");
    }

    private static string Required(string name) => $"Param \"{name}\" is not optional.";
}
