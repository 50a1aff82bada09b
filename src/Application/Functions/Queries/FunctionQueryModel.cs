using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Deployments.Queries;
using FunctionsPlatform.Application.Executions.Queries;
using FunctionsPlatform.Application.FunctionVersions.Queries;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.Functions.Queries;

/// <summary>What a function filter/order may reach: the /api JSON names plus the Appwrite settings fields.</summary>
public static class FunctionQueryModel
{
    public static QueryModel<Function> Instance { get; } = new QueryModel<Function>("function")
        .String("id", f => f.Id)
        .String("workspaceId", f => f.WorkspaceId)
        .String("name", f => f.Name)
        .String("description", f => f.Description, nullable: true)
        .String("defaultVersionId", f => f.DefaultVersionId, nullable: true)
        .Enum("source", f => f.Source, s => s.ToWire())
        .Bool("system", f => f.System)
        .String("createdBy", f => f.CreatedBy, nullable: true)
        .String("runtimeUserId", f => f.RuntimeUserId, nullable: true)
        .Date("deletedAt", f => f.DeletedAt)
        .String("retentionTier", f => f.RetentionTier, nullable: true)
        .Date("createdAt", f => f.CreatedAt)
        .Date("updatedAt", f => f.UpdatedAt)
        .String("runtime", f => f.Runtime)
        .Bool("enabled", f => f.Enabled)
        .Bool("live", f => f.Live)
        .Bool("logging", f => f.Logging)
        .Number("timeout", f => f.Timeout)
        .String("schedule", f => f.Schedule)
        .Date("scheduleNext", f => f.ScheduleNext)
        .Date("schedulePrevious", f => f.SchedulePrevious)
        .String("entrypoint", f => f.Entrypoint, nullable: true)
        .String("commands", f => f.Commands)
        .String("installationId", f => f.InstallationId)
        .String("deploymentId", f => f.DeploymentId, nullable: true)
        .ToMany<FunctionVersion>("versions", () => FunctionVersionQueryModel.Instance, f => f.Id, v => v.FunctionId)
        .ToMany<Deployment>("deployments", () => DeploymentQueryModel.Instance, f => f.Id, d => d.FunctionId)
        .ToMany<Execution>("executions", () => ExecutionQueryModel.Instance, f => f.Id, e => e.FunctionId)
        .ToOne<FunctionVersion>("defaultVersion", () => FunctionVersionQueryModel.Instance, f => f.DefaultVersionId, v => v.Id);

    /// <summary>The attributes Appwrite lets GET /v1/functions queries filter and order by.</summary>
    public static AppwriteAttributes Appwrite { get; } = new(Instance,
        ["name", "enabled", "runtime", "deploymentId", "schedule", "scheduleNext", "schedulePrevious", "timeout", "entrypoint", "commands", "installationId"]);
}
