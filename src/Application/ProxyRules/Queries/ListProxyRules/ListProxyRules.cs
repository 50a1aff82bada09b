using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.ProxyRules.Specifications;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Domain.ProxyRules;

namespace FunctionsPlatform.Application.ProxyRules.Queries.ListProxyRules;

/// <summary>GET /v1/proxy/rules: the workspace's rules through the list pipeline; <c>search</c> matches the domain.</summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record ListProxyRulesQuery(string WorkspaceId, IReadOnlyList<string> Queries, string? Search, bool Total = true)
    : IQuery<ProxyRulePage>, IWorkspaceScoped;

internal sealed class ListProxyRulesHandler(ListQueryBuilder lists, IListQueryRunner runner) : MediatR.IRequestHandler<ListProxyRulesQuery, ProxyRulePage>
{
    public const int MaxSearchLength = 256;

    public async Task<ProxyRulePage> Handle(ListProxyRulesQuery request, CancellationToken ct)
    {
        var list = lists.FromAppwrite<ProxyRule>(ProxyRuleQueryModel.Appwrite, request.Queries, request.Total);
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            // Appwrite's rule search looks in the domain (domains are stored lower-case).
            var search = new FieldFilter(ProxyRuleQueryModel.Instance.Fields["domain"], FilterOperator.IContains, request.Search.Trim().ToLowerInvariant());
            list = list with { Filter = list.Filter is null ? search : new AndFilter([list.Filter, search]) };
        }

        var page = await runner.RunAsync(list.Within(new ProxyRulesOfWorkspaceSpec(request.WorkspaceId)), ct);
        return new ProxyRulePage([.. page.Items.Select(ProxyRuleDto.From)], request.Total ? page.PageInfo.Total : 0);
    }
}

internal sealed class ListProxyRulesValidator : AbstractValidator<ListProxyRulesQuery>
{
    public ListProxyRulesValidator()
    {
        RuleFor(q => q.Search!).MaximumLength(ListProxyRulesHandler.MaxSearchLength)
            .WithMessage($"Value must be a valid string and no longer than {ListProxyRulesHandler.MaxSearchLength} chars")
            .OverridePropertyName("search").When(q => q.Search is not null);
    }
}
