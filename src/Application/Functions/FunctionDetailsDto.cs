using FunctionsPlatform.Application.Variables;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Functions;

/// <summary>Every field of a function as /v1 reports it (Appwrite's Function model), with its variables.</summary>
public sealed record FunctionDetailsDto(
    string Id,
    string WorkspaceId,
    string Name,
    string Runtime,
    IReadOnlyList<string> Execute,
    IReadOnlyList<string> Events,
    string Schedule,
    int Timeout,
    bool Enabled,
    bool Live,
    bool Logging,
    string Entrypoint,
    string Commands,
    IReadOnlyList<string> Scopes,
    string Version,
    string? DeploymentId,
    DateTimeOffset? DeploymentCreatedAt,
    string? LatestDeploymentId,
    DateTimeOffset? LatestDeploymentCreatedAt,
    string? LatestDeploymentStatus,
    int DeploymentRetention,
    string InstallationId,
    string ProviderRepositoryId,
    string ProviderBranch,
    string ProviderRootDirectory,
    bool ProviderSilentMode,
    IReadOnlyList<string> ProviderBranches,
    IReadOnlyList<string> ProviderPaths,
    string BuildSpecification,
    string RuntimeSpecification,
    IReadOnlyList<VariableDto> Vars,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static FunctionDetailsDto From(Function f, IEnumerable<VariableDto> vars) => new(
        f.Id, f.WorkspaceId, f.Name, f.Runtime, f.Execute, f.Events, f.Schedule, f.Timeout, f.Enabled, f.Live, f.Logging,
        f.Entrypoint ?? "", f.Commands, f.Scopes, f.ProtocolVersion, f.DeploymentId, f.DeploymentCreatedAt,
        f.LatestDeploymentId, f.LatestDeploymentCreatedAt, f.LatestDeploymentStatus, f.DeploymentRetention,
        f.InstallationId, f.ProviderRepositoryId, f.ProviderBranch, f.ProviderRootDirectory, f.ProviderSilentMode,
        f.ProviderBranches, f.ProviderPaths, f.BuildSpecification, f.RuntimeSpecification, [.. vars], f.CreatedAt, f.UpdatedAt);
}
