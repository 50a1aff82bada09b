using FluentValidation;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.Common.Validation;

/// <summary>Rules shared by several validators; limits come from the domain so both always agree.</summary>
public static class RuleExtensions
{
    public static IRuleBuilderOptions<T, string> FunctionName<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().WithMessage("'name' must not be empty.")
            .MaximumLength(FunctionLimits.NameMaxLength);

    public static IRuleBuilderOptions<T, string?> ResourceId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(IdPrefixes.MaxIdLength).Must(id => id is null || id.Length > 0).WithMessage("An id must not be empty.");

    public static IRuleBuilderOptions<T, string?> RelativeFilePath<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(p => p is null || VersionFile.IsValidPath(p))
            .WithMessage("Must be a relative file path using '/', without '..' segments.");
}

public static class ListRuleExtensions
{
    /// <summary>The /api list bounds (<see cref="ApiListRules"/>), reported with the request's other parameter errors.</summary>
    public static void ListRequest<T>(this IRuleBuilder<T, Abstractions.Querying.ListRequest> rule) =>
        rule.Custom((list, context) =>
        {
            foreach (var (field, message) in ApiListRules.Violations(list))
            {
                context.AddFailure(field, message);
            }
        });
}
