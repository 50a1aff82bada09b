using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Deployments.Queries;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Executions.Queries;

/// <summary>What an execution filter/order may reach (Appwrite model names).</summary>
public static class ExecutionQueryModel
{
    public static QueryModel<Execution> Instance { get; } = new QueryModel<Execution>("execution")
        .String("id", e => e.Id)
        .String("functionId", e => e.FunctionId)
        .String("workspaceId", e => e.WorkspaceId)
        .String("deploymentId", e => e.DeploymentId, nullable: true)
        .String("versionId", e => e.VersionId, nullable: true)
        .Enum("trigger", e => e.Trigger, t => t.ToWire())
        .Enum("status", e => e.Status, s => s.ToWire())
        .String("requestMethod", e => e.RequestMethod)
        .String("requestPath", e => e.RequestPath)
        .Number("responseStatusCode", e => e.ResponseStatusCode)
        .Number("duration", e => e.Duration)
        .Date("scheduledAt", e => e.ScheduledAt)
        .String("createdBy", e => e.CreatedBy, nullable: true)
        .Bool("coldStart", e => e.ColdStart)
        .Number("initDurationMs", e => e.InitDurationMs)
        .Enum("errorKind", e => e.ErrorKind, k => k.ToWire())
        .Date("createdAt", e => e.CreatedAt)
        .Date("updatedAt", e => e.UpdatedAt)
        .ToOne<Function>("function", () => FunctionQueryModel.Instance, e => e.FunctionId, f => f.Id)
        .ToOne<Deployment>("deployment", () => DeploymentQueryModel.Instance, e => e.DeploymentId, d => d.Id);

    /// <summary>GET /v1/functions/{id}/executions allow-list.</summary>
    public static AppwriteAttributes Appwrite { get; } = new(Instance,
        ["trigger", "status", "responseStatusCode", "duration", "requestMethod", "requestPath", "deploymentId"]);
}
