using FluentValidation;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Executions.Commands.CreateExecution;

internal sealed class CreateExecutionValidator : AbstractValidator<CreateExecutionCommand>
{
    public CreateExecutionValidator(ScheduledExecutionRules scheduling, TimeProvider clock)
    {
        RuleFor(c => c.FunctionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        RuleFor(c => c.Body!).MaximumLength(ExecutionRequestRules.MaxBodyLength)
            .WithMessage($"body must be at most {ExecutionRequestRules.MaxBodyLength} characters.").When(c => c.Body is not null);
        RuleFor(c => c.Path!).MaximumLength(ExecutionRequestRules.MaxPathLength)
            .Must(p => p.StartsWith('/')).WithMessage("path must start with '/'.")
            .Must(p => !p.Any(char.IsControl)).WithMessage("path must not contain control characters.")
            .When(c => c.Path is not null);
        RuleFor(c => c.Method!).Must(m => ExecutionRequestRules.Methods.Contains(m))
            .WithMessage($"method must be one of {string.Join(", ", ExecutionRequestRules.Methods)}.").When(c => c.Method is not null);

        RuleFor(c => c.Headers!).Must(h => h.Count <= ExecutionRequestRules.MaxHeaderCount)
            .WithMessage($"headers may have at most {ExecutionRequestRules.MaxHeaderCount} keys.")
            .Must(h => ExecutionRequestRules.TotalLength(h) < ExecutionRequestRules.MaxHeadersTotalLength)
            .WithMessage($"headers' names and values together must be shorter than {ExecutionRequestRules.MaxHeadersTotalLength} characters.")
            .When(c => c.Headers is not null);
        RuleForEach(c => c.Headers!).ChildRules(header =>
        {
            header.RuleFor(h => h.Key).Must(ExecutionRequestRules.IsValidHeaderName)
                .WithMessage("header names may contain only letters, digits and '-', and must start and end with a letter or digit.")
                .Must(k => !ExecutionRequestRules.IsReserved(k))
                .WithMessage($"header names starting with '{ExecutionRequestRules.ReservedHeaderPrefix}' are reserved.");
            header.RuleFor(h => h.Value).NotNull().Must(v => v is null || ExecutionRequestRules.IsValidHeaderValue(v))
                .WithMessage("header values must not contain control characters.");
        }).OverridePropertyName("headers").When(c => c.Headers is not null);

        RuleFor(c => c.ScheduledAt).Must((c, _) => c.Async)
            .WithMessage(ExecutionStateErrors.ScheduleRequiresAsync.Message).When(c => c.ScheduledAt is not null);
        RuleFor(c => c).Custom((c, context) =>
        {
            if (c.ScheduledAt is { } at && scheduling.Check(at, clock.GetUtcNow()) is { } problem)
            {
                context.AddFailure("scheduledAt", problem);
            }
        });
    }
}
