using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables;

/// <summary>A function variable as the API reports it: a secret's value is always <c>""</c>.</summary>
public sealed record VariableDto(string Id, string FunctionId, string Key, string Value, bool Secret, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static VariableDto From(Variable v) => new(v.Id, v.FunctionId, v.Key, v.Secret ? "" : v.Value, v.Secret, v.CreatedAt, v.UpdatedAt);
}
