using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Functions.Compute;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Body of POST /v1/functions and PUT /v1/functions/{id}; every field optional on the wire, the validators say what is required.</summary>
public sealed record FunctionRequest
{
    public string? FunctionId { get; init; }
    public string? Name { get; init; }
    public string? Runtime { get; init; }
    public string[]? Execute { get; init; }
    public string[]? Events { get; init; }
    public string? Schedule { get; init; }
    public int? Timeout { get; init; }
    public bool? Enabled { get; init; }
    public bool? Logging { get; init; }
    public string? Entrypoint { get; init; }
    public string? Commands { get; init; }
    public string[]? Scopes { get; init; }
    public string? InstallationId { get; init; }
    public string? ProviderRepositoryId { get; init; }
    public string? ProviderBranch { get; init; }
    public string? ProviderRootDirectory { get; init; }
    public bool? ProviderSilentMode { get; init; }
    public string[]? ProviderBranches { get; init; }
    public string[]? ProviderPaths { get; init; }
    public string? BuildSpecification { get; init; }
    public string? RuntimeSpecification { get; init; }
    public string? Specification { get; init; }
    public int? DeploymentRetention { get; init; }

    public FunctionSettingsInput ToSettings() => new()
    {
        Execute = Execute, Events = Events, Schedule = Schedule, Timeout = Timeout, Enabled = Enabled, Logging = Logging,
        Entrypoint = Entrypoint, Commands = Commands, Scopes = Scopes, InstallationId = InstallationId,
        ProviderRepositoryId = ProviderRepositoryId, ProviderBranch = ProviderBranch, ProviderRootDirectory = ProviderRootDirectory,
        ProviderSilentMode = ProviderSilentMode, ProviderBranches = ProviderBranches, ProviderPaths = ProviderPaths,
        BuildSpecification = BuildSpecification, RuntimeSpecification = RuntimeSpecification, Specification = Specification,
        DeploymentRetention = DeploymentRetention,
    };
}

/// <summary>Appwrite's Function model: every field always present (<c>""</c>, <c>0</c>, <c>false</c>, <c>[]</c> when unset).</summary>
public static class FunctionModel
{
    public static JsonObject From(FunctionDetailsDto f, AppwriteResponseFormat format)
    {
        var model = new JsonObject
        {
            ["$id"] = f.Id,
            ["$createdAt"] = AppwriteDate.Format(f.CreatedAt),
            ["$updatedAt"] = AppwriteDate.Format(f.UpdatedAt),
            ["execute"] = Strings(f.Execute),
            ["name"] = f.Name,
            ["enabled"] = f.Enabled,
            ["live"] = f.Live,
            ["logging"] = f.Logging,
            ["runtime"] = f.Runtime,
            ["deploymentRetention"] = f.DeploymentRetention,
            ["deploymentId"] = f.DeploymentId ?? "",
            ["deploymentCreatedAt"] = AppwriteDate.Format(f.DeploymentCreatedAt),
            ["latestDeploymentId"] = f.LatestDeploymentId ?? "",
            ["latestDeploymentCreatedAt"] = AppwriteDate.Format(f.LatestDeploymentCreatedAt),
            ["latestDeploymentStatus"] = f.LatestDeploymentStatus ?? "",
            ["scopes"] = Strings(f.Scopes),
            ["vars"] = new JsonArray([.. f.Vars.Select(v => (JsonNode)VariableModel.From(v))]),
            ["events"] = Strings(f.Events),
            ["schedule"] = f.Schedule,
            ["timeout"] = f.Timeout,
            ["entrypoint"] = f.Entrypoint,
            ["commands"] = f.Commands,
            ["version"] = f.Version,
            ["installationId"] = f.InstallationId,
            ["providerRepositoryId"] = f.ProviderRepositoryId,
            ["providerBranch"] = f.ProviderBranch,
            ["providerRootDirectory"] = f.ProviderRootDirectory,
            ["providerSilentMode"] = f.ProviderSilentMode,
            ["providerBranches"] = Strings(f.ProviderBranches),
            ["providerPaths"] = Strings(f.ProviderPaths),
            ["buildSpecification"] = f.BuildSpecification,
            ["runtimeSpecification"] = f.RuntimeSpecification,
        };

        if (format.SingleSpecification)
        {
            model.Remove("buildSpecification");
            model.Remove("runtimeSpecification");
            model["specification"] = f.RuntimeSpecification;
        }

        if (format.LegacyDeploymentField)
        {
            model["deployment"] = model["deploymentId"]!.DeepClone();
            foreach (var field in new[] { "deploymentId", "deploymentCreatedAt", "latestDeploymentId", "latestDeploymentCreatedAt", "latestDeploymentStatus" })
            {
                model.Remove(field);
            }
        }

        return model;
    }

    internal static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);
}

/// <summary>Appwrite's Runtime model for a runtime this host can run.</summary>
public static class RuntimeModel
{
    public static JsonObject From(AppwriteRuntime runtime) => new()
    {
        ["$id"] = runtime.Id,
        ["key"] = runtime.Host.Key,
        ["name"] = runtime.Host.Name,
        ["version"] = runtime.Id[(runtime.Host.Key.Length + 1)..],
        // The host's own interpreter stands in for Appwrite's base image; there is no container image.
        ["base"] = runtime.Host.Id,
        ["image"] = "",
        ["logo"] = $"{runtime.Host.Key}.png",
        ["supports"] = FunctionModel.Strings([Architecture]),
    };

    private static string Architecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "armv7",
        _ => "x86",
    };
}

/// <summary>Appwrite's Specification model.</summary>
public static class SpecificationModel
{
    public static JsonObject From(ComputeSpecification spec) => new()
    {
        ["memory"] = spec.MemoryMb,
        ["cpus"] = spec.Cpus,
        ["enabled"] = true,
        ["slug"] = spec.Slug,
    };
}
