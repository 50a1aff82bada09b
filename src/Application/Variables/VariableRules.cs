using FluentValidation;
using FunctionsPlatform.Domain.Variables;

namespace FunctionsPlatform.Application.Variables;

/// <summary>Appwrite's rules (and messages) for a variable's key and value, shared by function and workspace variables.</summary>
public static class VariableRules
{
    public static IRuleBuilderOptions<T, string?> VariableKey<T>(this IRuleBuilder<T, string?> rule, bool required)
    {
        IRuleBuilder<T, string?> checkedRule = required ? rule.NotNull().WithMessage("Param \"key\" is not optional.") : rule;
        return checkedRule.Must(k => k is null || (k.Trim().Length > 0 && k.Length <= Variable.KeyMaxLength))
            .WithMessage($"Value must be a valid string and at least 1 chars and no longer than {Variable.KeyMaxLength} chars");
    }

    public static IRuleBuilderOptions<T, string?> VariableValue<T>(this IRuleBuilder<T, string?> rule, bool required)
    {
        IRuleBuilder<T, string?> checkedRule = required ? rule.NotNull().WithMessage("Param \"value\" is not optional.") : rule;
        return checkedRule.MaximumLength(Variable.ValueMaxLength)
            .WithMessage($"Value must be a valid string and no longer than {Variable.ValueMaxLength} chars");
    }
}
