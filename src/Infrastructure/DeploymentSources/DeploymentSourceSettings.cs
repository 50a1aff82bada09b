namespace FunctionsPlatform.Infrastructure.DeploymentSources;

/// <summary><c>Templates:*</c>: where operators add starter templates besides those shipped.</summary>
public sealed class TemplateSettings
{
    public const string SectionName = "Templates";

    /// <summary>A directory of template folders (each with a <c>template.json</c>); empty = only the shipped catalogue.</summary>
    public string Directory { get; set; } = "";
}

/// <summary><c>Vcs:*</c>: the git repositories a function may deploy from.</summary>
public sealed class VcsSettings
{
    public const string SectionName = "Vcs";

    /// <summary>
    /// URL prefixes (<c>https://git.example.com/team/</c>) and absolute local paths (a directory and everything below it)
    /// a function's <c>providerRepositoryId</c> may name. Empty: git deployments are off.
    /// </summary>
    public List<string> AllowedRepositories { get; set; } = [];

    /// <summary>Longest a clone or fetch of one revision may take.</summary>
    public int TimeoutSeconds { get; set; } = 120;
}
