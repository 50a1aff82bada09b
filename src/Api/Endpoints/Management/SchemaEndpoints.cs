using System.Text.Json;
using FunctionsPlatform.Api.Contracts;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Schemas;
using FunctionsPlatform.Application.Schemas.Commands.CreateSchema;
using FunctionsPlatform.Application.Schemas.Commands.DeleteSchema;
using FunctionsPlatform.Application.Schemas.Commands.UpdateSchema;
using FunctionsPlatform.Application.Schemas.Queries.GetSchema;
using FunctionsPlatform.Application.Schemas.Queries.ListSchemas;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPlatform.Api.Endpoints.Management;

/// <summary>/api/schemas: JSON Schema documents that functions refer to for their input and output.</summary>
public sealed class SchemaEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/schemas").WithTags("Schemas");
        group.MapGet("", ListSchemas).WithName(nameof(ListSchemas));
        group.MapPost("", CreateSchema).WithName(nameof(CreateSchema));
        group.MapGet("{id}", GetSchema).WithName(nameof(GetSchema));
        group.MapPatch("{id}", UpdateSchema).WithName(nameof(UpdateSchema));
        group.MapDelete("{id}", DeleteSchema).WithName(nameof(DeleteSchema));
    }

    public sealed record CreateSchemaRequest(string? WorkspaceId, string? Name, JsonElement? Schema);

    public sealed record UpdateSchemaRequest(Optional<string?> Name, Optional<JsonElement?> Schema);

    public static async Task<Ok<ListResponse<SchemaDto>>> ListSchemas(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var page = await sender.Send(new ListSchemasQuery(QueryParameters.Text(request, "workspace_id"), QueryParameters.ReadList(request)), ct);
        return TypedResults.Ok(ListResponse<SchemaDto>.From(page));
    }

    public static async Task<Created<SchemaDto>> CreateSchema(CreateSchemaRequest body, IMediator sender, CancellationToken ct)
    {
        var schema = await sender.Send(new CreateSchemaCommand(body.WorkspaceId ?? "", body.Name ?? "", body.Schema), ct);
        return TypedResults.Created($"/api/schemas/{schema.Id}", schema);
    }

    public static async Task<Ok<SchemaDto>> GetSchema(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetSchemaQuery(id), ct));

    public static async Task<Ok<SchemaDto>> UpdateSchema(string id, UpdateSchemaRequest body, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new UpdateSchemaCommand(id, body.Name, body.Schema), ct));

    public static async Task<Ok<SuccessDto>> DeleteSchema(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new DeleteSchemaCommand(id), ct));
}
