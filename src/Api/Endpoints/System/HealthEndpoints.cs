using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Api.Endpoints.System;

/// <summary>GET /health (no auth): 200 when the database answers, 503 when it does not.</summary>
public sealed class HealthEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/health", GetHealth).WithTags("System").WithName(nameof(GetHealth)).AllowAnonymous();

    public sealed record HealthResponse(string Status, string Database, string Sandbox, IReadOnlyList<string> Runtimes);

    public static async Task<IResult> GetHealth(AppDbContext db, IRuntimeCatalog runtimes, CancellationToken ct)
    {
        bool reachable;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            // A real query, not only a connection: a missing or locked schema is unhealthy too.
            await db.Workspaces.AsNoTracking().Select(w => w.Id).FirstOrDefaultAsync(timeout.Token);
            reachable = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            reachable = false;
        }

        var body = new HealthResponse(reachable ? "ok" : "unavailable", reachable ? "ok" : "unreachable", runtimes.Sandbox, [.. runtimes.Runtimes.Select(r => r.Id)]);
        return reachable ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
