using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Functions.Commands.CreateAppwriteFunction;
using FunctionsPlatform.Application.Functions.Commands.DeleteFunctionPermanently;
using FunctionsPlatform.Application.Functions.Commands.ReconfigureFunction;
using FunctionsPlatform.Application.Functions.Queries.GetWorkspaceFunction;
using FunctionsPlatform.Application.Functions.Queries.ListAppwriteFunctions;
using FunctionsPlatform.Application.Functions.Queries.ListRuntimes;
using FunctionsPlatform.Application.Functions.Queries.ListSpecifications;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/functions: Appwrite's list, create, get, update (full replace), delete, runtimes and specifications.</summary>
public sealed class FunctionEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/functions").WithTags("Appwrite functions");
        group.MapGet("", FunctionsList).WithName(nameof(FunctionsList));
        group.MapPost("", FunctionsCreate).WithName(nameof(FunctionsCreate)).Accepts<FunctionRequest>("application/json");
        group.MapGet("runtimes", FunctionsListRuntimes).WithName(nameof(FunctionsListRuntimes)).AllowAnonymous();
        group.MapGet("specifications", FunctionsListSpecifications).WithName(nameof(FunctionsListSpecifications));
        group.MapGet("{functionId}", FunctionsGet).WithName(nameof(FunctionsGet));
        group.MapPut("{functionId}", FunctionsUpdate).WithName(nameof(FunctionsUpdate)).Accepts<FunctionRequest>("application/json");
        group.MapDelete("{functionId}", FunctionsDelete).WithName(nameof(FunctionsDelete));
    }

    /// <summary>The project's functions through <c>queries[]</c> and <c>search</c> (id, name, runtime).</summary>
    public static async Task<IResult> FunctionsList(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var search = request.Query["search"].Count == 0 ? null : request.Query["search"].ToString();
        var page = await sender.Send(new ListAppwriteFunctionsQuery(project, AppwriteQueries.Read(request), search, AppwriteList.CountTotal(request)), ct);
        var format = AppwriteRequest.Format(request);
        return AppwriteRequest.Json(AppwriteList.Of("functions", page.Items.Select(f => (JsonNode)FunctionModel.From(f, format)), page.PageInfo.Total));
    }

    public static async Task<IResult> FunctionsCreate(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var body = await AppwriteRequest.BodyAsync<FunctionRequest>(request, ct);
        var function = await sender.Send(new CreateAppwriteFunctionCommand(project, body.FunctionId, body.Name, body.Runtime, body.ToSettings()), ct);
        return AppwriteRequest.Json(FunctionModel.From(function, AppwriteRequest.Format(request)), StatusCodes.Status201Created);
    }

    public static async Task<IResult> FunctionsGet(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var function = await sender.Send(new GetWorkspaceFunctionQuery(AppwriteRequest.Project(request), functionId), ct);
        return AppwriteRequest.Json(FunctionModel.From(function, AppwriteRequest.Format(request)));
    }

    public static async Task<IResult> FunctionsUpdate(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var body = await AppwriteRequest.BodyAsync<FunctionRequest>(request, ct);
        var function = await sender.Send(new ReconfigureFunctionCommand(project, functionId, body.Name, body.Runtime, body.ToSettings()), ct);
        return AppwriteRequest.Json(FunctionModel.From(function, AppwriteRequest.Format(request)));
    }

    /// <summary>204 without a body; the SDKs send <c>{}</c> with a DELETE, which is ignored.</summary>
    public static async Task<IResult> FunctionsDelete(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        await sender.Send(new DeleteFunctionPermanentlyCommand(AppwriteRequest.Project(request), functionId), ct);
        return Results.NoContent();
    }

    /// <summary>Public, as in Appwrite: no project or key needed.</summary>
    public static async Task<IResult> FunctionsListRuntimes(IMediator sender, CancellationToken ct)
    {
        var runtimes = await sender.Send(new ListRuntimesQuery(), ct);
        return AppwriteRequest.Json(AppwriteList.Of("runtimes", runtimes.Select(r => (JsonNode)RuntimeModel.From(r))));
    }

    public static async Task<IResult> FunctionsListSpecifications(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var specifications = await sender.Send(new ListSpecificationsQuery(AppwriteRequest.Project(request)), ct);
        return AppwriteRequest.Json(AppwriteList.Of("specifications", specifications.Select(s => (JsonNode)SpecificationModel.From(s))));
    }
}
