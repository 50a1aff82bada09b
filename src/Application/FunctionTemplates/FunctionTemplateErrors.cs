using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Application.FunctionTemplates;

internal static class FunctionTemplateErrors
{
    public static NotFoundException NotFound(string? id) => new("Function Template", id, "function_template_not_found");
}
