using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Variables;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Body of POST and PUT /v1/functions/{id}/variables[/{variableId}].</summary>
public sealed record VariableRequest
{
    public string? VariableId { get; init; }
    public string? Key { get; init; }
    public string? Value { get; init; }
    public bool? Secret { get; init; }
}

/// <summary>Appwrite's Variable model: <c>resourceType</c> is <c>"function"</c> (singular); a secret's value is <c>""</c>.</summary>
public static class VariableModel
{
    public static JsonObject From(VariableDto v) => new()
    {
        ["$id"] = v.Id,
        ["$createdAt"] = AppwriteDate.Format(v.CreatedAt),
        ["$updatedAt"] = AppwriteDate.Format(v.UpdatedAt),
        ["key"] = v.Key,
        ["value"] = v.Value,
        ["secret"] = v.Secret,
        ["resourceType"] = "function",
        ["resourceId"] = v.FunctionId,
    };
}

/// <summary>Appwrite's Variable model for a project (workspace) variable: <c>resourceType</c> <c>"project"</c>, no resource id.</summary>
public static class ProjectVariableModel
{
    public static JsonObject From(WorkspaceVariableDto v) => new()
    {
        ["$id"] = v.Id,
        ["$createdAt"] = AppwriteDate.Format(v.CreatedAt),
        ["$updatedAt"] = AppwriteDate.Format(v.UpdatedAt),
        ["key"] = v.Key,
        ["value"] = v.Value,
        ["secret"] = v.Secret,
        ["resourceType"] = "project",
        ["resourceId"] = "",
    };
}
