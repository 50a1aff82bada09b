using System.Text.Json.Nodes;
using FunctionsPlatform.Application.ProxyRules;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Body of POST /v1/proxy/rules/function.</summary>
public sealed record FunctionRuleRequest
{
    public string? Domain { get; init; }
    public string? FunctionId { get; init; }
    public string? Branch { get; init; }
}

/// <summary>
/// Appwrite's ProxyRule model. A rule here always serves a function's active code and its domain needs no DNS check,
/// so it is <c>verified</c> at once; <c>deploymentId</c> is empty because the rule follows whichever deployment is active.
/// </summary>
public static class ProxyRuleModel
{
    public static JsonObject From(ProxyRuleDto r) => new()
    {
        ["$id"] = r.Id,
        ["$createdAt"] = AppwriteDate.Format(r.CreatedAt),
        ["$updatedAt"] = AppwriteDate.Format(r.UpdatedAt),
        ["domain"] = r.Domain,
        ["type"] = "deployment",
        ["trigger"] = "manual",
        ["redirectUrl"] = "",
        ["redirectStatusCode"] = 0,
        ["deploymentId"] = "",
        ["deploymentResourceType"] = "function",
        ["deploymentResourceId"] = r.FunctionId,
        ["deploymentVcsProviderBranch"] = "",
        ["status"] = "verified",
        ["logs"] = "",
        ["renewAt"] = "",
    };
}
