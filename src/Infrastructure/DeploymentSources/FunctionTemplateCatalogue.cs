using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions.Compute;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.DeploymentSources;

/// <summary>
/// The shipped catalogue (<c>templates/</c> beside the binaries) and the operator's <c>Templates:Directory</c>. Each
/// folder holds a <c>template.json</c> (Appwrite's TemplateFunction fields; a runtime's <c>folder</c> names the
/// sub-folder with its code) and is checked when read: a folder that does not parse or names missing code is left out
/// with a warning, never an error of a request. Folders are re-read when one changes, so templates dropped in while
/// the server runs appear on the next request. A runtime named by family (<c>node</c>) is offered for every runtime
/// of that family on this host; its <c>providerRootDirectory</c> is <c>{folder}/{templateId}</c>.
/// </summary>
internal sealed partial class FunctionTemplateCatalogue(
    TemplateSettings settings,
    IRuntimeCatalog runtimes,
    DirectoryArchiver archiver,
    ILogger<FunctionTemplateCatalogue> logger) : IFunctionTemplateCatalogue
{
    public const string ManifestName = "template.json";
    public const string DefaultOwner = "functions-platform";
    public const string DefaultRepository = "templates";
    public const string DefaultVersion = "1.0.0";
    private const int MaxManifestBytes = 256 * 1024;

    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };
    private readonly Lock _gate = new();
    private Snapshot _snapshot = new("", [], new Dictionary<(string, string), string>());

    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "templates");

    public IReadOnlyList<FunctionTemplate> Templates => Current().Templates;

    public Task<Stream> PackAsync(FunctionTemplate template, string providerRootDirectory, CancellationToken ct)
    {
        if (!Current().Folders.TryGetValue((template.Id, providerRootDirectory), out var folder) || !Directory.Exists(folder))
        {
            throw new NotFoundException("Function Template", template.Id, "function_template_not_found");
        }

        return archiver.PackAsync(folder, [], ct);
    }

    private Snapshot Current()
    {
        var roots = new[] { ShippedDirectory, settings.Directory }.Where(r => r.Length > 0 && Directory.Exists(r)).ToList();
        var fingerprint = Fingerprint(roots);
        lock (_gate)
        {
            if (_snapshot.Fingerprint != fingerprint)
            {
                _snapshot = Load(roots, fingerprint);
            }

            return _snapshot;
        }
    }

    /// <summary>Every template folder and the time its manifest was written: a change anywhere reloads the catalogue.</summary>
    private static string Fingerprint(IEnumerable<string> roots) => string.Join('|', roots.SelectMany(root =>
        Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).Select(d =>
        {
            var manifest = Path.Combine(d, ManifestName);
            return $"{d}@{(File.Exists(manifest) ? File.GetLastWriteTimeUtc(manifest).Ticks : 0)}";
        })));

    private Snapshot Load(IReadOnlyList<string> roots, string fingerprint)
    {
        var templates = new List<FunctionTemplate>();
        var folders = new Dictionary<(string, string), string>();
        foreach (var folder in roots.SelectMany(r => Directory.EnumerateDirectories(r).Order(StringComparer.Ordinal)))
        {
            try
            {
                var (template, codeFolders) = Read(folder);
                if (templates.Any(t => t.Id == template.Id))
                {
                    logger.LogWarning("Template folder {Folder} is skipped: the id {TemplateId} is taken by an earlier template", folder, template.Id);
                    continue;
                }

                if (template.Runtimes.Count == 0)
                {
                    logger.LogInformation("Template {TemplateId} is not offered: none of its runtimes is installed on this host", template.Id);
                    continue;
                }

                templates.Add(template);
                foreach (var (rootDirectory, path) in codeFolders)
                {
                    folders[(template.Id, rootDirectory)] = path;
                }
            }
            catch (Exception ex) when (ex is InvalidTemplateException or JsonException or IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Template folder {Folder} is skipped: {Reason}", folder, ex.Message);
            }
        }

        return new Snapshot(fingerprint, templates, folders);
    }

    private (FunctionTemplate Template, List<(string RootDirectory, string Path)> Folders) Read(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestName);
        var info = new FileInfo(manifestPath);
        if (!info.Exists || info.LinkTarget is not null)
        {
            throw new InvalidTemplateException($"no {ManifestName} file");
        }

        if (info.Length > MaxManifestBytes)
        {
            throw new InvalidTemplateException($"{ManifestName} is larger than {MaxManifestBytes} bytes");
        }

        var manifest = JsonSerializer.Deserialize<TemplateManifest>(File.ReadAllBytes(manifestPath), ManifestJson)
            ?? throw new InvalidTemplateException($"{ManifestName} is null");
        var id = manifest.Id ?? "";
        Require(TemplateId().IsMatch(id), "id must be 1-128 characters of a-z, 0-9, '-', '_' and '.', starting with a letter or digit");
        Require(!string.IsNullOrWhiteSpace(manifest.Name), "name is required");
        Require(manifest.Timeout is null or >= 1 and <= 900, "timeout must be 1-900 seconds");
        Require(manifest.Runtimes is { Count: > 0 }, "runtimes must name at least one runtime");

        var offered = new List<FunctionTemplateRuntime>();
        var folders = new List<(string, string)>();
        foreach (var runtime in manifest.Runtimes!)
        {
            var name = runtime.Name ?? "";
            var codeFolder = runtime.Folder ?? "";
            var entrypoint = runtime.Entrypoint ?? "";
            Require(name.Length > 0, "a runtime has no name");
            Require(FolderName().IsMatch(codeFolder), $"runtime {name}: folder must be one folder name of a-z, 0-9, '-', '_' and '.'");
            var code = Path.Combine(folder, codeFolder);
            Require(Directory.Exists(code) && new DirectoryInfo(code).LinkTarget is null, $"runtime {name}: folder {codeFolder} does not exist");
            Require(entrypoint.Length > 0 && !entrypoint.StartsWith('/') && !entrypoint.Split('/').Contains(".."), $"runtime {name}: entrypoint must be a relative path");
            Require(File.Exists(Path.Combine(code, entrypoint)), $"runtime {name}: entrypoint {entrypoint} does not exist in {codeFolder}");

            var rootDirectory = $"{codeFolder}/{id}";
            folders.Add((rootDirectory, code));
            // Offered under the ids /v1 lists runtimes by, so a template's runtimes are ones a function can be created with.
            var hosts = runtimes.Runtimes.Where(r => r.Key == name || r.Id == name || AppwriteRuntimes.AppwriteId(r) == name).Select(AppwriteRuntimes.AppwriteId);
            offered.AddRange(hosts.Select(host => new FunctionTemplateRuntime(host, runtime.Commands ?? "", entrypoint, rootDirectory)));
        }

        var variables = (manifest.Variables ?? []).Select(v => new FunctionTemplateVariable(
            v.Name ?? throw new InvalidTemplateException("a variable has no name"), v.Description ?? "", v.Value ?? "", v.Secret ?? false,
            v.Placeholder ?? "", v.Required ?? false, v.Type ?? "text")).ToList();
        var template = new FunctionTemplate(
            id, manifest.Icon ?? "", manifest.Name!, manifest.Tagline ?? "", manifest.Permissions ?? ["any"], manifest.Events ?? [],
            manifest.Cron ?? "", manifest.Timeout ?? 15, manifest.UseCases ?? [], offered, manifest.Instructions ?? "",
            manifest.VcsProvider ?? "catalogue", manifest.ProviderRepositoryId ?? DefaultRepository, manifest.ProviderOwner ?? DefaultOwner,
            manifest.ProviderVersion ?? DefaultVersion, variables, manifest.Scopes ?? []);
        return (template, folders);
    }

    private static void Require(bool condition, string reason)
    {
        if (!condition)
        {
            throw new InvalidTemplateException(reason);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TemplateId();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FolderName();

    private sealed record Snapshot(string Fingerprint, IReadOnlyList<FunctionTemplate> Templates, IReadOnlyDictionary<(string, string), string> Folders);

    private sealed class InvalidTemplateException(string message) : Exception(message);

    private sealed record TemplateManifest(
        string? Id, string? Icon, string? Name, string? Tagline, List<string>? Permissions, List<string>? Events, string? Cron,
        int? Timeout, List<string>? UseCases, List<ManifestRuntime>? Runtimes, string? Instructions, string? VcsProvider,
        string? ProviderRepositoryId, string? ProviderOwner, string? ProviderVersion, List<ManifestVariable>? Variables, List<string>? Scopes);

    private sealed record ManifestRuntime(string? Name, string? Folder, string? Commands, string? Entrypoint);

    private sealed record ManifestVariable(string? Name, string? Description, string? Value, bool? Secret, string? Placeholder, bool? Required, string? Type);
}
