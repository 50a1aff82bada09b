using System.Text.RegularExpressions;
using Cronos;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Functions.Compute;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.Functions;

/// <summary>
/// The Appwrite function settings a /v1 create or update sends; null = not sent. Create fills what is missing with
/// Appwrite's defaults; update (a full replace) does too, except for the fields Appwrite keeps when they are omitted.
/// </summary>
public sealed record FunctionSettingsInput
{
    public IReadOnlyList<string>? Execute { get; init; }
    public IReadOnlyList<string>? Events { get; init; }
    public string? Schedule { get; init; }
    public int? Timeout { get; init; }
    public bool? Enabled { get; init; }
    public bool? Logging { get; init; }
    public string? Entrypoint { get; init; }
    public string? Commands { get; init; }
    public IReadOnlyList<string>? Scopes { get; init; }
    public string? InstallationId { get; init; }
    public string? ProviderRepositoryId { get; init; }
    public string? ProviderBranch { get; init; }
    public string? ProviderRootDirectory { get; init; }
    public bool? ProviderSilentMode { get; init; }
    public IReadOnlyList<string>? ProviderBranches { get; init; }
    public IReadOnlyList<string>? ProviderPaths { get; init; }
    public string? BuildSpecification { get; init; }
    public string? RuntimeSpecification { get; init; }
    /// <summary>Older formats (CLI 12 speaks 1.8.0) send one <c>specification</c> for both build and runtime.</summary>
    public string? Specification { get; init; }
    public int? DeploymentRetention { get; init; }

    /// <summary>
    /// The settings to store. <paramref name="kept"/> (an update) supplies the fields Appwrite keeps when omitted:
    /// repository id, branch filters, path filters and both specifications; everything else falls back to its default.
    /// </summary>
    public FunctionSettings ToSettings(Function? kept, string defaultSpecification) => new()
    {
        Execute = Execute ?? [],
        Events = Events ?? [],
        Schedule = Schedule ?? "",
        Timeout = Timeout ?? FunctionLimits.DefaultTimeoutSeconds,
        Enabled = Enabled ?? true,
        Logging = Logging ?? true,
        Entrypoint = Entrypoint,
        Commands = Commands ?? "",
        Scopes = Scopes ?? [],
        InstallationId = InstallationId ?? "",
        ProviderRepositoryId = ProviderRepositoryId ?? kept?.ProviderRepositoryId ?? "",
        ProviderBranch = ProviderBranch ?? "",
        ProviderRootDirectory = ProviderRootDirectory ?? "",
        ProviderSilentMode = ProviderSilentMode ?? false,
        ProviderBranches = ProviderBranches ?? kept?.ProviderBranches ?? [],
        ProviderPaths = ProviderPaths ?? kept?.ProviderPaths ?? [],
        BuildSpecification = BuildSpecification ?? Specification ?? kept?.BuildSpecification ?? defaultSpecification,
        RuntimeSpecification = RuntimeSpecification ?? Specification ?? kept?.RuntimeSpecification ?? defaultSpecification,
        DeploymentRetention = DeploymentRetention ?? 0,
    };
}

/// <summary>Appwrite's parameter rules for function settings, reported per wire field.</summary>
public static partial class FunctionSettingsRules
{
    public const int MaxScopes = 200;

    /// <summary>The domain default when this host honours it, else the smallest specification it does.</summary>
    public static string DefaultSpecification(IHostCapacity host) =>
        ComputeSpecifications.IsHonoured(host, FunctionLimits.DefaultSpecification)
            ? FunctionLimits.DefaultSpecification
            : ComputeSpecifications.Honoured(host) is [var first, ..] ? first.Slug : FunctionLimits.DefaultSpecification;

    public static void Check(FunctionSettingsInput input, IHostCapacity host, Action<string, string> fail)
    {
        CheckList(input.Execute, "execute", FunctionLimits.MaxListItems, fail, RoleProblem);
        CheckList(input.Events, "events", FunctionLimits.MaxListItems, fail, EventProblem);
        CheckList(input.Scopes, "scopes", MaxScopes, fail, s => ScopePattern().IsMatch(s) ? null : "Scope is not a valid scope name.");
        CheckList(input.ProviderBranches, "providerBranches", FunctionLimits.MaxListItems, fail, _ => null);
        CheckList(input.ProviderPaths, "providerPaths", FunctionLimits.MaxListItems, fail, _ => null);

        if (input.Schedule is { Length: > 0 } schedule
            && (schedule.Length > FunctionLimits.ScheduleMaxLength || !CronExpression.TryParse(schedule, CronFormat.Standard, out _)))
        {
            fail("schedule", "String must be a valid cron expression.");
        }

        if (input.Timeout is < 1 or > FunctionLimits.MaxTimeoutSeconds)
        {
            fail("timeout", $"Value must be a valid range between 1 and {FunctionLimits.MaxTimeoutSeconds:N0}");
        }

        if (input.Entrypoint is { Length: > 0 } entrypoint
            && (entrypoint.Length > FunctionLimits.EntrypointMaxLength || !VersionFile.IsValidPath(entrypoint)))
        {
            fail("entrypoint", $"Value must be a relative file path of at most {FunctionLimits.EntrypointMaxLength} chars, using '/', without '..' segments.");
        }

        if (input.Commands is { Length: > FunctionLimits.CommandsMaxLength })
        {
            fail("commands", $"Value must be a valid string and no longer than {FunctionLimits.CommandsMaxLength} chars");
        }

        foreach (var (field, value) in new[]
        {
            ("installationId", input.InstallationId), ("providerRepositoryId", input.ProviderRepositoryId),
            ("providerBranch", input.ProviderBranch), ("providerRootDirectory", input.ProviderRootDirectory),
        })
        {
            if (value is { Length: > FunctionLimits.ProviderFieldMaxLength })
            {
                fail(field, $"Value must be a valid string and no longer than {FunctionLimits.ProviderFieldMaxLength} chars");
            }
        }

        if (!string.IsNullOrEmpty(input.ProviderRepositoryId)
            && (string.IsNullOrEmpty(input.InstallationId) || string.IsNullOrEmpty(input.ProviderBranch)))
        {
            fail("providerRepositoryId", "When connecting to VCS (Version Control System), you need to provide \"installationId\" and \"providerBranch\".");
        }

        foreach (var (field, value) in new[]
        {
            ("specification", input.Specification), ("buildSpecification", input.BuildSpecification), ("runtimeSpecification", input.RuntimeSpecification),
        })
        {
            if (value is not null && !ComputeSpecifications.IsHonoured(host, value))
            {
                fail(field, $"Specification must be one of: {ComputeSpecifications.Describe(host)}");
            }
        }

        if (input.DeploymentRetention is < 0 or > FunctionLimits.MaxDeploymentRetentionDays)
        {
            fail("deploymentRetention", $"Value must be a valid range between 0 and {FunctionLimits.MaxDeploymentRetentionDays:N0}");
        }
    }

    private static void CheckList(IReadOnlyList<string>? items, string field, int max, Action<string, string> fail, Func<string, string?> itemProblem)
    {
        if (items is null)
        {
            return;
        }

        if (items.Count > max)
        {
            fail(field, $"Value must be a valid array no longer than {max} items");
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var problem = item is null || item.Length == 0 || item.Length > FunctionLimits.MaxListItemLength
                ? $"Each item must be 1 to {FunctionLimits.MaxListItemLength} chars long."
                : itemProblem(item);
            if (problem is not null)
            {
                fail(field, problem);
                return;
            }
        }
    }

    /// <summary>Appwrite's role forms: any, guests, users[/verified|/unverified], user:ID[/…], team:ID[/role], member:ID, label:L.</summary>
    private static string? RoleProblem(string role) =>
        role == "*" ? "Wildcard role \"*\" has been replaced. Use \"any\" instead."
        : RolePattern().IsMatch(role) ? null
        : $"Role \"{role}\" is not allowed. Must be one of: any, guests, users, user, team, member, label.";

    private static string? EventProblem(string name) =>
        name.StartsWith("functions.", StringComparison.Ordinal) ? "Functions cannot subscribe to function events."
        : EventPattern().IsMatch(name) ? null
        : "Event is not valid: dot-separated segments of letters, digits, '-', '_' or '*'.";

    [GeneratedRegex(@"^(any|guests|users(/(verified|unverified))?|user:[A-Za-z0-9._-]+(/(verified|unverified))?|team:[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?|member:[A-Za-z0-9._-]+|label:[A-Za-z0-9]+)$")]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*$")]
    private static partial Regex EventPattern();

    [GeneratedRegex(@"^[a-z][a-zA-Z]*(\.[a-zA-Z]+)+$")]
    private static partial Regex ScopePattern();
}

/// <summary>Appwrite's custom id rule (at most 36 chars of a-z, A-Z, 0-9, '.', '-', '_', not starting with a special char) or <c>unique()</c>.</summary>
public static partial class CustomIds
{
    public const string Unique = "unique()";
    public const string Rule = "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";

    public static bool IsValid(string id) => id == Unique || Pattern().IsMatch(id);

    [GeneratedRegex(Domain.Common.IdPrefixes.CustomIdPattern)]
    private static partial Regex Pattern();
}
