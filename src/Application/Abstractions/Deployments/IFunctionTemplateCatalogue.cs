namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>A starter template (Appwrite's TemplateFunction model); its runtimes are the host's runtime ids it can run on.</summary>
public sealed record FunctionTemplate(
    string Id,
    string Icon,
    string Name,
    string Tagline,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> Events,
    string Cron,
    int Timeout,
    IReadOnlyList<string> UseCases,
    IReadOnlyList<FunctionTemplateRuntime> Runtimes,
    string Instructions,
    string VcsProvider,
    string ProviderRepositoryId,
    string ProviderOwner,
    string ProviderVersion,
    IReadOnlyList<FunctionTemplateVariable> Variables,
    IReadOnlyList<string> Scopes);

/// <summary>One runtime of a template: <see cref="ProviderRootDirectory"/> names the folder of its code in the catalogue.</summary>
public sealed record FunctionTemplateRuntime(string Name, string Commands, string Entrypoint, string ProviderRootDirectory);

public sealed record FunctionTemplateVariable(string Name, string Description, string Value, bool Secret, string Placeholder, bool Required, string Type);

/// <summary>
/// The starter templates shipped with the platform plus those an operator dropped into the configured directory
/// (a folder with a <c>template.json</c> and the code folders it names; a broken folder is left out with a warning).
/// </summary>
public interface IFunctionTemplateCatalogue
{
    IReadOnlyList<FunctionTemplate> Templates { get; }

    /// <summary>
    /// The code folder <paramref name="providerRootDirectory"/> of <paramref name="template"/> as a <c>.tar.gz</c> of its
    /// contents (the shape of an upload), in a temporary file deleted when the stream is disposed.
    /// </summary>
    Task<Stream> PackAsync(FunctionTemplate template, string providerRootDirectory, CancellationToken ct);
}
