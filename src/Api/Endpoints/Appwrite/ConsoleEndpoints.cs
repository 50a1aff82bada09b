using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Console.Queries.GetConsoleVariables;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/console: what Appwrite's console (and the CLI, as the console) reads about the server.</summary>
public sealed class ConsoleEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/console").WithTags("Appwrite console");
        group.MapGet("variables", ConsoleVariables).WithName(nameof(ConsoleVariables));
    }

    /// <summary>
    /// Appwrite's Console Variables model. No DNS targets, usage stats, sites, assistant or forced HTTPS here; the
    /// functions domain is on when set; the storage and compute limits are the deployment size limit (0 = none).
    /// </summary>
    public static async Task<IResult> ConsoleVariables(IMediator sender, CancellationToken ct)
    {
        var variables = await sender.Send(new GetConsoleVariablesQuery(), ct);
        return AppwriteRequest.Json(new JsonObject
        {
            ["_APP_DOMAIN_TARGET_CNAME"] = "",
            ["_APP_DOMAIN_TARGET_AAAA"] = "",
            ["_APP_DOMAIN_TARGET_A"] = "",
            ["_APP_DOMAIN_TARGET_CAA"] = "",
            ["_APP_STORAGE_LIMIT"] = variables.ComputeSizeLimit,
            ["_APP_COMPUTE_SIZE_LIMIT"] = variables.ComputeSizeLimit,
            ["_APP_USAGE_STATS"] = "disabled",
            ["_APP_VCS_ENABLED"] = false,
            ["_APP_DOMAIN_ENABLED"] = variables.FunctionsDomain.Length > 0,
            ["_APP_ASSISTANT_ENABLED"] = false,
            ["_APP_DOMAIN_SITES"] = "",
            ["_APP_DOMAIN_FUNCTIONS"] = variables.FunctionsDomain,
            ["_APP_OPTIONS_FORCE_HTTPS"] = "disabled",
            ["_APP_DOMAINS_NAMESERVERS"] = "",
        });
    }
}
