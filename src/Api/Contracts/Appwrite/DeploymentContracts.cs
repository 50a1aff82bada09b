using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Deployments;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Body of PATCH /v1/functions/{id}/deployment (activate).</summary>
public sealed record ActivateDeploymentRequest
{
    public string? DeploymentId { get; init; }
}

/// <summary>Appwrite's Deployment model: every field always present (<c>""</c>, <c>0</c>, <c>false</c> when unset).</summary>
public static class DeploymentModel
{
    public static JsonObject From(DeploymentDto d, AppwriteResponseFormat format, IReadOnlyList<string>? select = null)
    {
        var model = new JsonObject
        {
            ["$id"] = d.Id,
            ["$createdAt"] = AppwriteDate.Format(d.CreatedAt),
            ["$updatedAt"] = AppwriteDate.Format(d.UpdatedAt),
            ["type"] = d.Type,
            ["resourceId"] = d.FunctionId,
            ["resourceType"] = "functions",
            ["entrypoint"] = d.Entrypoint,
            ["sourceSize"] = d.SourceSize,
            ["buildSize"] = d.BuildSize,
            ["totalSize"] = d.TotalSize,
            ["buildId"] = "",
            ["activate"] = d.Activate,
            ["screenshotLight"] = "",
            ["screenshotDark"] = "",
            ["status"] = d.Status,
            ["buildLogs"] = d.BuildLogs,
            ["buildDuration"] = d.BuildDuration,
            ["providerRepositoryName"] = d.ProviderRepositoryName,
            ["providerRepositoryOwner"] = d.ProviderRepositoryOwner,
            ["providerRepositoryUrl"] = d.ProviderRepositoryUrl,
            ["providerCommitHash"] = d.ProviderCommitHash,
            ["providerCommitAuthorUrl"] = d.ProviderCommitAuthorUrl,
            ["providerCommitAuthor"] = d.ProviderCommitAuthor,
            ["providerCommitMessage"] = d.ProviderCommitMessage,
            ["providerCommitUrl"] = d.ProviderCommitUrl,
            ["providerBranch"] = d.ProviderBranch,
            ["providerBranchUrl"] = d.ProviderBranchUrl,
        };

        if (format.LegacyDeploymentField)
        {
            // Before 1.7.0 the sizes were one "size" and the duration "buildTime".
            model["size"] = d.SourceSize;
            model["buildTime"] = d.BuildDuration;
        }

        if (select is not null)
        {
            // A select keeps the chosen attributes and every "$" one.
            foreach (var name in model.Select(p => p.Key).Where(k => !k.StartsWith('$') && !select.Contains(k)).ToList())
            {
                model.Remove(name);
            }
        }

        return model;
    }
}
