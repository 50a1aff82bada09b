using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Functions.Commands.ReconfigureFunction;

internal sealed class ReconfigureFunctionValidator : AbstractValidator<ReconfigureFunctionCommand>
{
    public ReconfigureFunctionValidator(IHostCapacity host)
    {
        RuleFor(c => c.Name).NotNull().WithMessage("Param \"name\" is not optional.")
            .Must(n => n is null || (n.Trim().Length > 0 && n.Length <= FunctionLimits.NameMaxLength))
            .WithMessage($"Value must be a valid string and at least 1 chars and no longer than {FunctionLimits.NameMaxLength} chars");
        RuleFor(c => c.Runtime).MaximumLength(FunctionLimits.RuntimeMaxLength);
        RuleFor(c => c.Settings).Custom((settings, context) =>
            FunctionSettingsRules.Check(settings, host, (field, message) => context.AddFailure(field, message)));
    }
}
