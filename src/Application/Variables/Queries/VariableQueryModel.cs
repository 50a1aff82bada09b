using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables.Queries;

/// <summary>What a variable filter/order may reach (Appwrite model names; function variables only).</summary>
public static class VariableQueryModel
{
    public const string FunctionResourceType = "function";

    public static QueryModel<Variable> Instance { get; } = new QueryModel<Variable>("variable")
        .String("id", v => v.Id)
        .String("functionId", v => v.FunctionId)
        .String("key", v => v.Key)
        .Bool("secret", v => v.Secret)
        .String("resourceType", v => FunctionResourceType, sortable: false)
        .String("resourceId", v => v.FunctionId)
        .Date("createdAt", v => v.CreatedAt)
        .Date("updatedAt", v => v.UpdatedAt);

    /// <summary>GET /v1/functions/{id}/variables allow-list.</summary>
    public static AppwriteAttributes Appwrite { get; } = new(Instance, ["key", "resourceType", "resourceId", "secret"]);
}
