using FunctionsPlatform.Api.Contracts;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common;
using FunctionsPlatform.Application.FunctionVersions;
using FunctionsPlatform.Application.FunctionVersions.Commands.CreateFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.DeleteFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.ForkFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.PurgeFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.ReplaceFunctionVersionFiles;
using FunctionsPlatform.Application.FunctionVersions.Commands.RestoreFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.SetDefaultFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.UpdateFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Queries.GetFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Queries.ListFunctionVersions;
using FunctionsPlatform.Application.Functions;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPlatform.Api.Endpoints.Management;

/// <summary>/api/function-versions: versions of a function, their files (<c>PUT {id}/files</c>), forks and the default.</summary>
public sealed class FunctionVersionEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/function-versions").WithTags("Function versions");
        group.MapGet("", ListFunctionVersions).WithName(nameof(ListFunctionVersions));
        group.MapPost("", CreateFunctionVersion).WithName(nameof(CreateFunctionVersion));
        group.MapGet("{id}", GetFunctionVersion).WithName(nameof(GetFunctionVersion));
        group.MapPatch("{id}", UpdateFunctionVersion).WithName(nameof(UpdateFunctionVersion));
        group.MapDelete("{id}", DeleteFunctionVersion).WithName(nameof(DeleteFunctionVersion));
        group.MapPost("{id}/fork", ForkFunctionVersion).WithName(nameof(ForkFunctionVersion))
            .Accepts<ForkFunctionVersionRequest>(isOptional: true, "application/json");
        group.MapDelete("{id}/purge", PurgeFunctionVersion).WithName(nameof(PurgeFunctionVersion));
        group.MapPost("{id}/restore", RestoreFunctionVersion).WithName(nameof(RestoreFunctionVersion));
        group.MapPost("{id}/set-default", SetDefaultFunctionVersion).WithName(nameof(SetDefaultFunctionVersion));
        group.MapPut("{id}/files", ReplaceFunctionVersionFiles).WithName(nameof(ReplaceFunctionVersionFiles));
    }

    public sealed record CreateFunctionVersionRequest(string? FunctionId, string? Name, string? InputSchemaId, string? OutputSchemaId, IReadOnlyList<VersionFileInput>? Files);
    public sealed record UpdateFunctionVersionRequest(Optional<string?> Name, Optional<string?> InputSchemaId, Optional<string?> OutputSchemaId);
    public sealed record ForkFunctionVersionRequest(string? Name);
    public sealed record ReplaceFilesRequest(IReadOnlyList<VersionFileInput>? Files);

    public static async Task<Ok<ListResponse<FunctionVersionDto>>> ListFunctionVersions(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var parameters = new VersionListScope(
            QueryParameters.Text(request, "function_id"),
            QueryParameters.IncludeDeleted(request),
            QueryParameters.Ids(request),
            QueryParameters.Text(request, "parent_id"),
            QueryParameters.Text(request, "input_schema_id"),
            QueryParameters.Text(request, "output_schema_id"));
        var page = await sender.Send(new ListFunctionVersionsQuery(parameters, QueryParameters.ReadList(request)), ct);
        return TypedResults.Ok(ListResponse<FunctionVersionDto>.From(page));
    }

    public static async Task<Created<FunctionVersionDto>> CreateFunctionVersion(CreateFunctionVersionRequest body, IMediator sender, CancellationToken ct)
    {
        var version = await sender.Send(new CreateFunctionVersionCommand(body.FunctionId ?? "", body.Name, body.InputSchemaId, body.OutputSchemaId, body.Files), ct);
        return TypedResults.Created($"/api/function-versions/{version.Id}", version);
    }

    public static async Task<Ok<FunctionVersionDto>> GetFunctionVersion(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetFunctionVersionQuery(id), ct));

    public static async Task<Ok<FunctionVersionDto>> UpdateFunctionVersion(string id, UpdateFunctionVersionRequest body, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new UpdateFunctionVersionCommand(id, body.Name, body.InputSchemaId, body.OutputSchemaId), ct));

    public static async Task<Ok<SuccessDto>> DeleteFunctionVersion(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new DeleteFunctionVersionCommand(id), ct));

    /// <summary>The body is optional: no body forks with the default name.</summary>
    public static async Task<Created<FunctionVersionDto>> ForkFunctionVersion(string id, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var body = request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0
            ? null
            : await request.ReadFromJsonAsync<ForkFunctionVersionRequest>(ct);
        var fork = await sender.Send(new ForkFunctionVersionCommand(id, body?.Name), ct);
        return TypedResults.Created($"/api/function-versions/{fork.Id}", fork);
    }

    public static async Task<Ok<SuccessDto>> PurgeFunctionVersion(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new PurgeFunctionVersionCommand(id), ct));

    public static async Task<Ok<FunctionVersionDto>> RestoreFunctionVersion(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new RestoreFunctionVersionCommand(id), ct));

    public static async Task<Ok<FunctionDto>> SetDefaultFunctionVersion(string id, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new SetDefaultFunctionVersionCommand(id), ct));

    public static async Task<Ok<FunctionVersionDto>> ReplaceFunctionVersionFiles(string id, ReplaceFilesRequest body, IMediator sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ReplaceFunctionVersionFilesCommand(id, body.Files), ct));
}
