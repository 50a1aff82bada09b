using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Deployments.Queries;

/// <summary>What a deployment filter/order may reach (Appwrite model names).</summary>
public static class DeploymentQueryModel
{
    public static QueryModel<Deployment> Instance { get; } = new QueryModel<Deployment>("deployment")
        .String("id", d => d.Id)
        .String("functionId", d => d.FunctionId)
        .String("type", d => d.Type)
        .String("entrypoint", d => d.Entrypoint)
        .Bool("activate", d => d.Activate)
        .Enum("status", d => d.Status, s => s.ToWire())
        .Number("sourceSize", d => d.SourceSize)
        .Number("buildSize", d => d.BuildSize)
        .Number("totalSize", d => d.SourceSize + d.BuildSize)
        .Number("buildDuration", d => d.BuildDuration)
        .Date("buildStartedAt", d => d.BuildStartedAt)
        .Date("createdAt", d => d.CreatedAt)
        .Date("updatedAt", d => d.UpdatedAt)
        .ToOne<Function>("function", () => FunctionQueryModel.Instance, d => d.FunctionId, f => f.Id);

    /// <summary>GET /v1/functions/{id}/deployments allow-list; the only list where <c>select</c> is allowed.</summary>
    public static AppwriteAttributes Appwrite { get; } = new(Instance,
        ["buildSize", "sourceSize", "totalSize", "buildDuration", "status", "activate", "type"], selectAllowed: true);
}
