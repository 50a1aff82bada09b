using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Variables;

/// <summary>A function variable: reaches the code as an environment variable. Secret values are never read back.</summary>
public sealed class Variable : AuditableEntity, IAggregateRoot
{
    public const int KeyMaxLength = 255;
    public const int ValueMaxLength = 8192;

    private Variable(string id, string functionId, string key, string value, DateTimeOffset createdAt) : base(id, createdAt)
    {
        FunctionId = functionId;
        Key = key;
        Value = value;
    }

    public string FunctionId { get; private set; }
    public string Key { get; private set; }
    public string Value { get; private set; }
    public bool Secret { get; private set; }

    public static Variable Create(string id, string functionId, string key, string value, bool secret, DateTimeOffset now)
    {
        var variable = new Variable(id, functionId, ValidKey(key), ValidValue(value), now) { Secret = secret };
        variable.Raise(new VariableChanged(id, functionId, now));
        return variable;
    }

    public void Update(string? key, string? value, bool? secret, DateTimeOffset now)
    {
        if (Secret && secret == false)
        {
            throw new DomainException(VariableErrors.CannotUnsetSecret);
        }

        Key = key is null ? Key : ValidKey(key);
        Value = value is null ? Value : ValidValue(value);
        Secret = secret ?? Secret;
        Raise(new VariableChanged(Id, FunctionId, now));
        Touch(now);
    }

    /// <summary>Called before the repository removes it, so the change reaches the function's processes.</summary>
    public void Delete(DateTimeOffset now) => Raise(new VariableChanged(Id, FunctionId, now));

    internal static string ValidKey(string key) => Guard.Text(key, KeyMaxLength, VariableErrors.KeyInvalid);
    internal static string ValidValue(string value) => Guard.Text(value, ValueMaxLength, VariableErrors.ValueInvalid, allowEmpty: true);
}

public static class VariableErrors
{
    public static readonly DomainError KeyInvalid = new("variable.key_invalid", $"Variable key must be 1 to {Variable.KeyMaxLength} characters.", ErrorKind.Validation, Field: "key");
    public static readonly DomainError ValueInvalid = new("variable.value_invalid", $"Variable value must be at most {Variable.ValueMaxLength} characters.", ErrorKind.Validation, Field: "value");
    public static readonly DomainError CannotUnsetSecret = new("variable.cannot_unset_secret", "Secret variables cannot be marked as non-secret.", ErrorKind.Validation, "variable_cannot_unset_secret", Field: "secret");
    public static readonly DomainError AlreadyExists = new("variable.already_exists", "Variable with the same ID or key already exists.", ErrorKind.Conflict, "variable_already_exists");
}
