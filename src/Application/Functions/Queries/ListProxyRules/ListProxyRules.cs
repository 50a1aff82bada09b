using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Functions.Queries.ListProxyRules;

/// <summary>
/// GET /v1/proxy/rules, which the CLI reads before a push: this server routes no custom domains to functions, so a
/// project has no rules. The caller must still be allowed into the workspace.
/// </summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListProxyRulesQuery(string WorkspaceId) : IQuery<IReadOnlyList<string>>, IWorkspaceScoped;

internal sealed class ListProxyRulesHandler : MediatR.IRequestHandler<ListProxyRulesQuery, IReadOnlyList<string>>
{
    public Task<IReadOnlyList<string>> Handle(ListProxyRulesQuery request, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
