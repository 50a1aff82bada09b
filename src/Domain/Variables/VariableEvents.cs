using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Variables;

/// <summary>A variable of the function was created, changed or deleted: processes started with the old set must go.</summary>
public sealed record VariableChanged(string VariableId, string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A workspace variable was created, changed or deleted: every process of the workspace's functions must go.</summary>
public sealed record WorkspaceVariableChanged(string VariableId, string WorkspaceId, DateTimeOffset OccurredAt) : IDomainEvent;
