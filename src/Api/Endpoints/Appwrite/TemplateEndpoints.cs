using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.FunctionTemplates.Queries.GetFunctionTemplate;
using FunctionsPlatform.Application.FunctionTemplates.Queries.ListFunctionTemplates;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/functions/templates: the starter template catalogue; public, like the runtimes.</summary>
public sealed class TemplateEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/functions/templates").WithTags("Appwrite templates");
        group.MapGet("", FunctionsListTemplates).WithName(nameof(FunctionsListTemplates)).AllowAnonymous();
        group.MapGet("{templateId}", FunctionsGetTemplate).WithName(nameof(FunctionsGetTemplate)).AllowAnonymous();
    }

    /// <summary><c>runtimes[]</c>, <c>useCases[]</c>, <c>limit</c> (1–5000, 25), <c>offset</c> (0–5000, 0), <c>total</c>.</summary>
    public static async Task<IResult> FunctionsListTemplates(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var query = new ListFunctionTemplatesQuery(
            AppwriteQueries.ReadArray(request, "runtimes"), AppwriteQueries.ReadArray(request, "useCases"),
            Integer(request, "limit", 25), Integer(request, "offset", 0));
        var page = await sender.Send(query, ct);
        return AppwriteRequest.Json(AppwriteList.Of(
            "templates", page.Templates.Select(t => (JsonNode)TemplateFunctionModel.From(t)), AppwriteList.CountTotal(request) ? page.Total : 0));
    }

    public static async Task<IResult> FunctionsGetTemplate(string templateId, IMediator sender, CancellationToken ct) =>
        AppwriteRequest.Json(TemplateFunctionModel.From(await sender.Send(new GetFunctionTemplateQuery(templateId), ct)));

    private static int Integer(HttpRequest request, string name, int fallback)
    {
        if (request.Query[name].Count == 0)
        {
            return fallback;
        }

        return int.TryParse(request.Query[name].ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ValidationException(name, "Value must be a valid integer");
    }
}
