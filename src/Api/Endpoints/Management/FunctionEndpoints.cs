using FunctionsPlatform.Api.Contracts;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.Functions.Commands.DeleteFunction;
using FunctionsPlatform.Application.Functions.Commands.PurgeFunction;
using FunctionsPlatform.Application.Functions.Commands.RestoreFunction;
using FunctionsPlatform.Application.Functions.Commands.UpdateFunction;
using FunctionsPlatform.Application.Functions.Queries.GetFunction;
using FunctionsPlatform.Application.Functions.Queries.ListFunctions;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPlatform.Api.Endpoints.Management;

/// <summary>/api/functions: create, list, read, update, soft-delete, restore and purge functions.</summary>
public sealed class FunctionEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/functions").WithTags("Functions");
        group.MapGet("", ListFunctions).WithName(nameof(ListFunctions));
        group.MapPost("", CreateFunction).WithName(nameof(CreateFunction));
        group.MapGet("{id}", GetFunction).WithName(nameof(GetFunction));
        group.MapPatch("{id}", UpdateFunction).WithName(nameof(UpdateFunction));
        group.MapDelete("{id}", DeleteFunction).WithName(nameof(DeleteFunction));
        group.MapDelete("{id}/purge", PurgeFunction).WithName(nameof(PurgeFunction));
        group.MapPost("{id}/restore", RestoreFunction).WithName(nameof(RestoreFunction));
    }

    public sealed record CreateFunctionRequest(
        string? WorkspaceId, string? Name, string? Description, string? Source, string? InputSchemaId, string? OutputSchemaId, string? Runtime, string? Entrypoint,
        int? ProcessConcurrency = null);

    public sealed record UpdateFunctionRequest(Optional<string?> Name, Optional<string?> Description, Optional<string?> RuntimeUserId)
    {
        public Optional<int?> ProcessConcurrency { get; init; }
    }

    public static async Task<Ok<ListResponse<FunctionDto>>> ListFunctions(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var parameters = new FunctionListScope(
            QueryParameters.Text(request, "workspace_id"),
            QueryParameters.Text(request, "source"),
            QueryParameters.IncludeDeleted(request),
            QueryParameters.Ids(request),
            QueryParameters.Text(request, "name"),
            QueryParameters.Text(request, "default_version_id"),
            QueryParameters.Bool(request, "system"),
            QueryParameters.Text(request, "created_by"),
            QueryParameters.Text(request, "runtime_user_id"),
            QueryParameters.Text(request, "retention_tier"));
        var page = await sender.Send(new ListFunctionsQuery(parameters, QueryParameters.ReadList(request)), ct);
        return TypedResults.Ok(ListResponse<FunctionDto>.From(page));
    }

    public static async Task<Created<FunctionDto>> CreateFunction(CreateFunctionRequest body, IMediator sender, CancellationToken ct)
    {
        var function = await sender.Send(new CreateFunctionCommand(
            body.WorkspaceId ?? "", body.Name ?? "", body.Description, body.Source, body.InputSchemaId, body.OutputSchemaId, body.Runtime, body.Entrypoint, body.ProcessConcurrency), ct);
        return TypedResults.Created($"/api/functions/{function.Id}", function);
    }

    public static async Task<Ok<FunctionDto>> GetFunction(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetFunctionQuery(id), ct));

    public static async Task<Ok<FunctionDto>> UpdateFunction(string id, UpdateFunctionRequest body, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new UpdateFunctionCommand(id, body.Name, body.Description, body.RuntimeUserId) { ProcessConcurrency = body.ProcessConcurrency }, ct));

    public static async Task<Ok<SuccessDto>> DeleteFunction(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new DeleteFunctionCommand(id), ct));

    public static async Task<Ok<SuccessDto>> PurgeFunction(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new PurgeFunctionCommand(id), ct));

    public static async Task<Ok<FunctionDto>> RestoreFunction(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RestoreFunctionCommand(id), ct));
}
