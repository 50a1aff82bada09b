using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Application.Deployments;

/// <summary>A deployment as the endpoints see it: every field of Appwrite's model, the status in its wire spelling.</summary>
public sealed record DeploymentDto(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Type,
    string FunctionId,
    string Entrypoint,
    string Commands,
    long SourceSize,
    long BuildSize,
    long TotalSize,
    bool Activate,
    string Status,
    string BuildLogs,
    int BuildDuration,
    DateTimeOffset? BuildStartedAt,
    int ChunksTotal,
    int ChunksUploaded,
    string ProviderRepositoryName,
    string ProviderRepositoryOwner,
    string ProviderRepositoryUrl,
    string ProviderCommitHash,
    string ProviderCommitAuthor,
    string ProviderCommitAuthorUrl,
    string ProviderCommitMessage,
    string ProviderCommitUrl,
    string ProviderBranch,
    string ProviderBranchUrl)
{
    public static DeploymentDto From(Deployment d) => new(
        d.Id, d.CreatedAt, d.UpdatedAt, d.Type, d.FunctionId, d.Entrypoint, d.Commands, d.SourceSize, d.BuildSize, d.TotalSize,
        d.Activate, d.Status.ToWire(), d.BuildLogs, d.BuildDuration, d.BuildStartedAt, d.ChunksTotal, d.ChunksUploaded,
        d.ProviderRepositoryName, d.ProviderRepositoryOwner, d.ProviderRepositoryUrl, d.ProviderCommitHash, d.ProviderCommitAuthor,
        d.ProviderCommitAuthorUrl, d.ProviderCommitMessage, d.ProviderCommitUrl, d.ProviderBranch, d.ProviderBranchUrl);
}
