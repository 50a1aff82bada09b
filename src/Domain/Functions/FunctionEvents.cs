using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Functions;

public sealed record FunctionCreated(string FunctionId, string WorkspaceId, DateTimeOffset OccurredAt) : IDomainEvent;
public sealed record FunctionSoftDeleted(string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;
public sealed record FunctionRestored(string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;
public sealed record FunctionPurged(string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The code a function runs changed (default version, active deployment or settings): warm runtimes must go.</summary>
public sealed record FunctionCodeChanged(string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A version became the function's default: what its next calls run (warm processes may be started for it).</summary>
public sealed record FunctionDefaultVersionSet(string FunctionId, string VersionId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A deployment became the function's active one: what its /v1 executions run (warm processes may be started for it).</summary>
public sealed record FunctionDeploymentActivated(string FunctionId, string DeploymentId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>Name, description or runtime user changed (nothing about the code).</summary>
public sealed record FunctionDetailsChanged(string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;
