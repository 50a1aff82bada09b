using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Functions.Queries.ListProxyRules;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1 routes clients call before anything else: the server version, ping, and the (empty) proxy rules the CLI reads.</summary>
public sealed class SystemEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Appwrite system");
        group.MapGet("health/version", HealthGetVersion).WithName(nameof(HealthGetVersion)).AllowAnonymous();
        group.MapGet("ping", Ping).WithName(nameof(Ping)).AllowAnonymous();
        group.MapGet("proxy/rules", ProxyListRules).WithName(nameof(ProxyListRules));
    }

    /// <summary>The CLI refuses an endpoint that does not answer this; no authentication, as in Appwrite.</summary>
    public static IResult HealthGetVersion() => AppwriteRequest.Json(new JsonObject { ["version"] = AppwriteErrorBody.ServerVersion });

    public static IResult Ping() => Results.Text("Pong!", "text/plain");

    /// <summary>Custom domains are not served here, so a project has no proxy rules; the caller must still reach the project.</summary>
    public static async Task<IResult> ProxyListRules(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var rules = await sender.Send(new ListProxyRulesQuery(AppwriteRequest.Project(request)), ct);
        return AppwriteRequest.Json(AppwriteList.Of("rules", rules.Select(r => (JsonNode)JsonValue.Create(r))));
    }
}
