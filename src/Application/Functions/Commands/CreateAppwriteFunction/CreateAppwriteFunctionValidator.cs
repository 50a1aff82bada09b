using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Functions.Commands.CreateAppwriteFunction;

internal sealed class CreateAppwriteFunctionValidator : AbstractValidator<CreateAppwriteFunctionCommand>
{
    public CreateAppwriteFunctionValidator(IHostCapacity host)
    {
        RuleFor(c => c.FunctionId).NotNull().WithMessage("Param \"functionId\" is not optional.")
            .Must(id => id is null || CustomIds.IsValid(id)).WithMessage(CustomIds.Rule);
        RuleFor(c => c.Name).NotNull().WithMessage("Param \"name\" is not optional.")
            .Must(n => n is null || (n.Trim().Length > 0 && n.Length <= FunctionLimits.NameMaxLength))
            .WithMessage($"Value must be a valid string and at least 1 chars and no longer than {FunctionLimits.NameMaxLength} chars");
        RuleFor(c => c.Runtime).NotEmpty().WithMessage("Param \"runtime\" is not optional.");
        RuleFor(c => c.Settings).Custom((settings, context) =>
            FunctionSettingsRules.Check(settings, host, (field, message) => context.AddFailure(field, message)));
    }
}
