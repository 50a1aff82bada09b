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

/// <summary>Body of POST /v1/functions/{id}/deployments/duplicate; <c>buildId</c> is accepted and ignored, as Appwrite does.</summary>
public sealed record DuplicateDeploymentRequest
{
    public string? DeploymentId { get; init; }
    public string? BuildId { get; init; }
}

/// <summary>Body of POST /v1/functions/{id}/deployments/template: a catalogue entry by owner, repository, root directory and version.</summary>
public sealed record TemplateDeploymentRequest
{
    public string? Repository { get; init; }
    public string? Owner { get; init; }
    public string? RootDirectory { get; init; }
    /// <summary><c>commit</c>, <c>branch</c> or <c>tag</c> (node-appwrite 27); older clients send <see cref="Version"/> instead.</summary>
    public string? Type { get; init; }
    public string? Reference { get; init; }
    public string? Version { get; init; }
    public bool? Activate { get; init; }
}

/// <summary>Body of POST /v1/functions/{id}/deployments/vcs.</summary>
public sealed record VcsDeploymentRequest
{
    public string? Type { get; init; }
    public string? Reference { get; init; }
    public bool? Activate { get; init; }
    /// <summary>Overrides the function's <c>providerRootDirectory</c> for this deployment.</summary>
    public string? ProviderRootDirectory { get; init; }
}
