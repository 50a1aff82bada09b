using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.ProxyRules.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules.Commands.DeleteProxyRule;

/// <summary>DELETE /v1/proxy/rules/{ruleId}: the domain stops serving at once (and may be taken again).</summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DeleteProxyRuleCommand(string WorkspaceId, string RuleId) : ICommand<SuccessDto>, IWorkspaceScoped;

internal sealed class DeleteProxyRuleHandler(IRepository<ProxyRule> rules) : MediatR.IRequestHandler<DeleteProxyRuleCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(DeleteProxyRuleCommand request, CancellationToken cancellationToken)
    {
        var rule = await rules.FirstOrDefaultAsync(new ProxyRuleInWorkspaceSpec(request.WorkspaceId, request.RuleId, tracking: true), cancellationToken)
            ?? throw new NotFoundException("Rule", request.RuleId, "rule_not_found");
        rules.Remove(rule);
        return new SuccessDto(true);
    }
}
