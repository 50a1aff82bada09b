using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.FunctionTemplates;

namespace FunctionsPlatform.Application.FunctionTemplates.Queries.GetFunctionTemplate;

/// <summary>GET /v1/functions/templates/{templateId}: one catalogue entry; unknown is <c>function_template_not_found</c>.</summary>
[AllowAnonymousRequest]
public sealed record GetFunctionTemplateQuery(string TemplateId) : IQuery<FunctionTemplate>;

internal sealed class GetFunctionTemplateHandler(IFunctionTemplateCatalogue catalogue)
    : MediatR.IRequestHandler<GetFunctionTemplateQuery, FunctionTemplate>
{
    public Task<FunctionTemplate> Handle(GetFunctionTemplateQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(catalogue.Templates.FirstOrDefault(t => t.Id == request.TemplateId)
            ?? throw FunctionTemplateErrors.NotFound(request.TemplateId));
}
