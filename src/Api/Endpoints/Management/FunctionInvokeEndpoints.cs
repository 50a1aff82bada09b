using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Executions.Commands.InvokeFunction;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPlatform.Api.Endpoints.Management;

/// <summary><c>POST /api/functions/{id}/invoke</c>: run a version synchronously and answer its result.</summary>
public sealed class FunctionInvokeEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapGroup("/api/functions").WithTags("Functions")
            .MapPost("{id}/invoke", InvokeFunction).WithName(nameof(InvokeFunction))
            .Accepts<InvokeFunctionRequest>(isOptional: true, "application/json");

    public sealed record InvokeFunctionRequest(JsonNode? Args, string? VersionId);

    /// <summary>The body is optional: no body runs the default version with empty args.</summary>
    public static async Task<Ok<InvokeResultDto>> InvokeFunction(string id, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var body = request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0
            ? null
            : await request.ReadFromJsonAsync<InvokeFunctionRequest>(ct);
        return TypedResults.Ok(await sender.Send(new InvokeFunctionCommand(id, body?.Args, body?.VersionId), ct));
    }
}
