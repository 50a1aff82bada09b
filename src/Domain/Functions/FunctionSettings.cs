namespace FunctionsPlatform.Domain.Functions;

/// <summary>The execution settings shared by both surfaces (Appwrite's function model); defaults match Appwrite's.</summary>
public sealed record FunctionSettings
{
    public IReadOnlyList<string> Execute { get; init; } = [];
    public IReadOnlyList<string> Events { get; init; } = [];
    public string Schedule { get; init; } = "";
    public int Timeout { get; init; } = FunctionLimits.DefaultTimeoutSeconds;
    public bool Enabled { get; init; } = true;
    public bool Logging { get; init; } = true;
    public string? Entrypoint { get; init; }
    public string Commands { get; init; } = "";
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public string BuildSpecification { get; init; } = FunctionLimits.DefaultSpecification;
    public string RuntimeSpecification { get; init; } = FunctionLimits.DefaultSpecification;
    public int DeploymentRetention { get; init; }
    public string InstallationId { get; init; } = "";
    public string ProviderRepositoryId { get; init; } = "";
    public string ProviderBranch { get; init; } = "";
    public string ProviderRootDirectory { get; init; } = "";
    public bool ProviderSilentMode { get; init; }
    public IReadOnlyList<string> ProviderBranches { get; init; } = [];
    public IReadOnlyList<string> ProviderPaths { get; init; } = [];
}
