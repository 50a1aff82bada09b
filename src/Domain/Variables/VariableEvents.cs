using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Variables;

/// <summary>A variable of the function was created, changed or deleted: processes started with the old set must go.</summary>
public sealed record VariableChanged(string VariableId, string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;
