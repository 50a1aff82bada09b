using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Abstractions.Deployments;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Appwrite's TemplateFunction model (what the console lists as function templates).</summary>
public static class TemplateFunctionModel
{
    public static JsonObject From(FunctionTemplate t) => new()
    {
        ["icon"] = t.Icon,
        ["id"] = t.Id,
        ["name"] = t.Name,
        ["tagline"] = t.Tagline,
        ["permissions"] = Strings(t.Permissions),
        ["events"] = Strings(t.Events),
        ["cron"] = t.Cron,
        ["timeout"] = t.Timeout,
        ["useCases"] = Strings(t.UseCases),
        ["runtimes"] = new JsonArray([.. t.Runtimes.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["commands"] = r.Commands,
            ["entrypoint"] = r.Entrypoint,
            ["providerRootDirectory"] = r.ProviderRootDirectory,
        })]),
        ["instructions"] = t.Instructions,
        ["vcsProvider"] = t.VcsProvider,
        ["providerRepositoryId"] = t.ProviderRepositoryId,
        ["providerOwner"] = t.ProviderOwner,
        ["providerVersion"] = t.ProviderVersion,
        ["variables"] = new JsonArray([.. t.Variables.Select(v => (JsonNode)new JsonObject
        {
            ["name"] = v.Name,
            ["description"] = v.Description,
            ["value"] = v.Value,
            ["secret"] = v.Secret,
            ["placeholder"] = v.Placeholder,
            ["required"] = v.Required,
            ["type"] = v.Type,
        })]),
        ["scopes"] = Strings(t.Scopes),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
