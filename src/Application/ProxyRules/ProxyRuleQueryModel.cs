using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules;

/// <summary>What a rule filter/order may reach (Appwrite model names). Every rule here serves a function, by hand.</summary>
public static class ProxyRuleQueryModel
{
    public static QueryModel<ProxyRule> Instance { get; } = new QueryModel<ProxyRule>("rule")
        .String("id", r => r.Id)
        .String("domain", r => r.Domain)
        .String("deploymentResourceId", r => r.FunctionId)
        .String("deploymentResourceType", r => "function")
        .String("type", r => "deployment")
        .String("trigger", r => "manual")
        .Date("createdAt", r => r.CreatedAt)
        .Date("updatedAt", r => r.UpdatedAt);

    /// <summary>GET /v1/proxy/rules allow-list (the CLI filters on the resource and the trigger after a push).</summary>
    public static AppwriteAttributes Appwrite { get; } = new(Instance, ["domain", "deploymentResourceId", "deploymentResourceType", "type", "trigger"]);
}
