using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules.Specifications;

public sealed class ProxyRulesOfWorkspaceSpec : Specification<ProxyRule>
{
    public ProxyRulesOfWorkspaceSpec(string workspaceId) => Query.Where(r => r.WorkspaceId == workspaceId);
}

public sealed class ProxyRuleInWorkspaceSpec : Specification<ProxyRule>
{
    public ProxyRuleInWorkspaceSpec(string workspaceId, string ruleId, bool tracking = false)
    {
        Query.Where(r => r.WorkspaceId == workspaceId && r.Id == ruleId);
        if (tracking)
        {
            Query.Tracking();
        }
    }
}

public sealed class ProxyRuleByDomainSpec : Specification<ProxyRule>
{
    public ProxyRuleByDomainSpec(string normalizedDomain) => Query.Where(r => r.Domain == normalizedDomain);
}
