using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules;

public sealed record ProxyRuleDto(string Id, string Domain, string FunctionId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProxyRuleDto From(ProxyRule rule) => new(rule.Id, rule.Domain, rule.FunctionId, rule.CreatedAt, rule.UpdatedAt);
}

/// <summary>A page of rules; <see cref="Total"/> is 0 when the caller asked for no total.</summary>
public sealed record ProxyRulePage(IReadOnlyList<ProxyRuleDto> Items, long Total);
