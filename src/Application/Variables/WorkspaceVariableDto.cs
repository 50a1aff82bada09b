using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables;

/// <summary>A workspace variable as the API reports it: a secret's value is always <c>""</c>.</summary>
public sealed record WorkspaceVariableDto(string Id, string WorkspaceId, string Key, string Value, bool Secret, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WorkspaceVariableDto From(WorkspaceVariable v) => new(v.Id, v.WorkspaceId, v.Key, v.Secret ? "" : v.Value, v.Secret, v.CreatedAt, v.UpdatedAt);
}
