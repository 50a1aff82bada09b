using FluentValidation;
using FunctionsPlatform.Application.Executions;

namespace FunctionsPlatform.Application.ProxyRules.Commands.ServeFunctionDomain;

/// <summary>The limits of an execution request; the transport already dropped headers a function may not receive.</summary>
internal sealed class ServeFunctionDomainValidator : AbstractValidator<ServeFunctionDomainCommand>
{
    public ServeFunctionDomainValidator()
    {
        RuleFor(c => c.Method).Must(m => ExecutionRequestRules.Methods.Contains(m))
            .WithMessage($"method must be one of {string.Join(", ", ExecutionRequestRules.Methods)}.");
        RuleFor(c => c.Path).NotEmpty().MaximumLength(ExecutionRequestRules.MaxPathLength);
        RuleFor(c => c.Body).Must(body => body.Length <= ExecutionRequestRules.MaxBodyLength)
            .WithMessage($"The request body must be at most {ExecutionRequestRules.MaxBodyLength} bytes.");
        RuleFor(c => c.Headers).Must(h => h.Count <= ExecutionRequestRules.MaxHeaderCount)
            .WithMessage($"A request may have at most {ExecutionRequestRules.MaxHeaderCount} headers.")
            .Must(h => ExecutionRequestRules.TotalLength(h) < ExecutionRequestRules.MaxHeadersTotalLength)
            .WithMessage($"Header names and values together must be shorter than {ExecutionRequestRules.MaxHeadersTotalLength} characters.");
    }
}
