using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.ProxyRules.Commands.CreateFunctionRule;
using FunctionsPlatform.Application.ProxyRules.Commands.DeleteProxyRule;
using FunctionsPlatform.Application.ProxyRules.Queries.GetProxyRule;
using FunctionsPlatform.Application.ProxyRules.Queries.ListProxyRules;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/proxy/rules: domains that serve functions (the requests themselves are served by <see cref="FunctionDomainMiddleware"/>).</summary>
public sealed class ProxyEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/proxy/rules").WithTags("Appwrite proxy");
        group.MapGet("", ProxyListRules).WithName(nameof(ProxyListRules));
        group.MapPost("function", ProxyCreateFunctionRule).WithName(nameof(ProxyCreateFunctionRule)).Accepts<FunctionRuleRequest>("application/json");
        group.MapGet("{ruleId}", ProxyGetRule).WithName(nameof(ProxyGetRule));
        group.MapDelete("{ruleId}", ProxyDeleteRule).WithName(nameof(ProxyDeleteRule));
    }

    public static async Task<IResult> ProxyListRules(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var countTotal = AppwriteList.CountTotal(request);
        var search = request.Query["search"].Count > 0 ? request.Query["search"].ToString() : null;
        var page = await sender.Send(new ListProxyRulesQuery(AppwriteRequest.Project(request), AppwriteQueries.Read(request), search, countTotal), ct);
        return AppwriteRequest.Json(AppwriteList.Of("rules", page.Items.Select(r => (JsonNode)ProxyRuleModel.From(r)), page.Total));
    }

    public static async Task<IResult> ProxyCreateFunctionRule(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var body = await AppwriteRequest.BodyAsync<FunctionRuleRequest>(request, ct);
        var rule = await sender.Send(new CreateFunctionRuleCommand(project, body.Domain, body.FunctionId, body.Branch), ct);
        return AppwriteRequest.Json(ProxyRuleModel.From(rule), StatusCodes.Status201Created);
    }

    public static async Task<IResult> ProxyGetRule(string ruleId, HttpRequest request, IMediator sender, CancellationToken ct) =>
        AppwriteRequest.Json(ProxyRuleModel.From(await sender.Send(new GetProxyRuleQuery(AppwriteRequest.Project(request), ruleId), ct)));

    public static async Task<IResult> ProxyDeleteRule(string ruleId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        await sender.Send(new DeleteProxyRuleCommand(AppwriteRequest.Project(request), ruleId), ct);
        return Results.NoContent();
    }
}
