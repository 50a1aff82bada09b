using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;

namespace FunctionsPlatform.Application.FunctionTemplates.Queries.ListFunctionTemplates;

/// <summary>
/// GET /v1/functions/templates: the catalogue, as Appwrite's console lists it. A template matches when one of its
/// runtimes is in <see cref="Runtimes"/> and one of its use cases in <see cref="UseCases"/> (an empty list matches all);
/// <see cref="Total"/> counts the matches before <see cref="Offset"/> and <see cref="Limit"/>. Public, like runtimes.
/// </summary>
[AllowAnonymousRequest]
public sealed record ListFunctionTemplatesQuery(IReadOnlyList<string> Runtimes, IReadOnlyList<string> UseCases, int Limit = 25, int Offset = 0)
    : IQuery<FunctionTemplatePage>;

public sealed record FunctionTemplatePage(int Total, IReadOnlyList<FunctionTemplate> Templates);

internal sealed class ListFunctionTemplatesHandler(IFunctionTemplateCatalogue catalogue)
    : MediatR.IRequestHandler<ListFunctionTemplatesQuery, FunctionTemplatePage>
{
    public Task<FunctionTemplatePage> Handle(ListFunctionTemplatesQuery request, CancellationToken cancellationToken)
    {
        var matches = catalogue.Templates
            .Where(t => request.Runtimes.Count == 0 || t.Runtimes.Any(r => request.Runtimes.Contains(r.Name, StringComparer.Ordinal)))
            .Where(t => request.UseCases.Count == 0 || t.UseCases.Any(u => request.UseCases.Contains(u, StringComparer.OrdinalIgnoreCase)))
            .ToList();
        return Task.FromResult(new FunctionTemplatePage(matches.Count, [.. matches.Skip(request.Offset).Take(request.Limit)]));
    }
}
