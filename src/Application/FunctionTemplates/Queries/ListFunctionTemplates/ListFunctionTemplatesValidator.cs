using FluentValidation;

namespace FunctionsPlatform.Application.FunctionTemplates.Queries.ListFunctionTemplates;

internal sealed class ListFunctionTemplatesValidator : AbstractValidator<ListFunctionTemplatesQuery>
{
    /// <summary>Appwrite's bounds for the template list's <c>limit</c> and <c>offset</c>.</summary>
    public const int MaxLimit = 5000;
    public const int MaxOffset = 5000;
    public const int MaxFilterValues = 100;

    public ListFunctionTemplatesValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit).OverridePropertyName("limit");
        RuleFor(q => q.Offset).InclusiveBetween(0, MaxOffset).OverridePropertyName("offset");
        RuleFor(q => q.Runtimes.Count).LessThanOrEqualTo(MaxFilterValues).OverridePropertyName("runtimes");
        RuleFor(q => q.UseCases.Count).LessThanOrEqualTo(MaxFilterValues).OverridePropertyName("useCases");
    }
}
