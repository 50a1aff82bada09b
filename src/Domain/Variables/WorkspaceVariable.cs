using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Variables;

/// <summary>
/// A variable of a whole workspace (Appwrite's project variable): every function of the workspace gets it as an
/// environment variable, under the function's own variables (a function variable with the same key wins).
/// </summary>
public sealed class WorkspaceVariable : AuditableEntity, IAggregateRoot
{
    private WorkspaceVariable(string id, string workspaceId, string key, string value, DateTimeOffset createdAt) : base(id, createdAt)
    {
        WorkspaceId = workspaceId;
        Key = key;
        Value = value;
    }

    public string WorkspaceId { get; private set; }
    public string Key { get; private set; }
    public string Value { get; private set; }
    public bool Secret { get; private set; }

    public static WorkspaceVariable Create(string id, string workspaceId, string key, string value, bool secret, DateTimeOffset now)
    {
        var variable = new WorkspaceVariable(id, Guard.Text(workspaceId, 64, WorkspaceVariableErrors.WorkspaceRequired), Variable.ValidKey(key), Variable.ValidValue(value), now)
        {
            Secret = secret,
        };
        variable.Raise(new WorkspaceVariableChanged(id, variable.WorkspaceId, now));
        return variable;
    }

    public void Update(string? key, string? value, bool? secret, DateTimeOffset now)
    {
        if (Secret && secret == false)
        {
            throw new DomainException(VariableErrors.CannotUnsetSecret);
        }

        Key = key is null ? Key : Variable.ValidKey(key);
        Value = value is null ? Value : Variable.ValidValue(value);
        Secret = secret ?? Secret;
        Raise(new WorkspaceVariableChanged(Id, WorkspaceId, now));
        Touch(now);
    }

    /// <summary>Called before the repository removes it, so the change reaches the workspace's processes.</summary>
    public void Delete(DateTimeOffset now) => Raise(new WorkspaceVariableChanged(Id, WorkspaceId, now));
}

public static class WorkspaceVariableErrors
{
    // No request field: the workspace comes from the project header, checked before a variable is made.
    public static readonly DomainError WorkspaceRequired = new("variable.workspace_required", "A workspace variable needs its workspace.", ErrorKind.Validation);
}
