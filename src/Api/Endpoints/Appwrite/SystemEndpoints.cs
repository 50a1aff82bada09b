using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1 routes clients call before anything else: the server version and ping.</summary>
public sealed class SystemEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Appwrite system");
        group.MapGet("health/version", HealthGetVersion).WithName(nameof(HealthGetVersion)).AllowAnonymous();
        group.MapGet("ping", Ping).WithName(nameof(Ping)).AllowAnonymous();
    }

    /// <summary>The CLI refuses an endpoint that does not answer this; no authentication, as in Appwrite.</summary>
    public static IResult HealthGetVersion() => AppwriteRequest.Json(new JsonObject { ["version"] = AppwriteErrorBody.ServerVersion });

    public static IResult Ping() => Results.Text("Pong!", "text/plain");
}
