using FluentValidation;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules.Commands.CreateFunctionRule;

internal sealed class CreateFunctionRuleValidator : AbstractValidator<CreateFunctionRuleCommand>
{
    public CreateFunctionRuleValidator()
    {
        RuleFor(c => c.WorkspaceId).NotEmpty();
        RuleFor(c => c.Domain).NotEmpty().MaximumLength(ProxyRule.DomainMaxLength);
        RuleFor(c => c.FunctionId).NotEmpty().MaximumLength(IdPrefixes.MaxIdLength);
        // Branch rules deploy a VCS branch on its own domain; rules here always follow the function's active code.
        RuleFor(c => c.Branch).Empty().WithMessage("'branch' is not supported: a rule serves the function's active deployment.");
    }
}
