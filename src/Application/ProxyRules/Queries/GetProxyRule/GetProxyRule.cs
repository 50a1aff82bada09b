using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.ProxyRules.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules.Queries.GetProxyRule;

/// <summary>GET /v1/proxy/rules/{ruleId}; another workspace's rule is <c>rule_not_found</c> like a missing one.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record GetProxyRuleQuery(string WorkspaceId, string RuleId) : IQuery<ProxyRuleDto>, IWorkspaceScoped;

internal sealed class GetProxyRuleHandler(IReadRepository<ProxyRule> rules) : MediatR.IRequestHandler<GetProxyRuleQuery, ProxyRuleDto>
{
    public async Task<ProxyRuleDto> Handle(GetProxyRuleQuery request, CancellationToken cancellationToken) =>
        ProxyRuleDto.From(await rules.FirstOrDefaultAsync(new ProxyRuleInWorkspaceSpec(request.WorkspaceId, request.RuleId), cancellationToken)
            ?? throw new NotFoundException("Rule", request.RuleId, "rule_not_found"));
}
