using FluentValidation;
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
    /// <summary>limit 1–100 (CONTRACT §3); after and before are exclusive; raw filter/orderBy sizes are bounded before parsing.</summary>
    public static void ListRequest<T>(this IRuleBuilder<T, Abstractions.Querying.ListRequest> rule) =>
        rule.Custom((list, context) =>
        {
            if (list.Limit is < 1 or > Abstractions.Querying.ListRequest.MaxLimit)
            {
                context.AddFailure("limit", $"'limit' must be between 1 and {Abstractions.Querying.ListRequest.MaxLimit}.");
            }

            if (list.After is not null && list.Before is not null)
            {
                context.AddFailure("after", "'after' and 'before' cannot be used together.");
            }

            if (list.Filter is { Length: > 16384 })
            {
                context.AddFailure("filter", "'filter' is at most 16384 characters.");
            }

            if (list.OrderBy is { Length: > 4096 })
            {
                context.AddFailure("orderBy", "'orderBy' is at most 4096 characters.");
            }
        });
}
