using FluentValidation;

namespace FunctionsPlatform.Application.FunctionTemplates.Queries.GetFunctionTemplate;

internal sealed class GetFunctionTemplateValidator : AbstractValidator<GetFunctionTemplateQuery>
{
    /// <summary>Appwrite's <c>templateId</c> is a Text(128).</summary>
    public const int MaxIdLength = 128;

    public GetFunctionTemplateValidator() =>
        RuleFor(q => q.TemplateId).NotEmpty().MaximumLength(MaxIdLength).OverridePropertyName("templateId");
}
