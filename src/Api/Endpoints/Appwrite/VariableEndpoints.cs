using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Variables.Commands.CreateVariable;
using FunctionsPlatform.Application.Variables.Commands.DeleteVariable;
using FunctionsPlatform.Application.Variables.Commands.UpdateVariable;
using FunctionsPlatform.Application.Variables.Queries.GetVariable;
using FunctionsPlatform.Application.Variables.Queries.ListVariables;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/functions/{functionId}/variables: Appwrite's function variables.</summary>
public sealed class VariableEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/functions/{functionId}/variables").WithTags("Appwrite variables");
        group.MapGet("", FunctionsListVariables).WithName(nameof(FunctionsListVariables));
        group.MapPost("", FunctionsCreateVariable).WithName(nameof(FunctionsCreateVariable)).Accepts<VariableRequest>("application/json");
        group.MapGet("{variableId}", FunctionsGetVariable).WithName(nameof(FunctionsGetVariable));
        group.MapPut("{variableId}", FunctionsUpdateVariable).WithName(nameof(FunctionsUpdateVariable)).Accepts<VariableRequest>("application/json");
        group.MapDelete("{variableId}", FunctionsDeleteVariable).WithName(nameof(FunctionsDeleteVariable));
    }

    /// <summary>
    /// Every variable of the function, in creation order. <c>total=false</c> answers a total of 0 as Appwrite does;
    /// queries are refused rather than ignored until this list pages.
    /// </summary>
    public static async Task<IResult> FunctionsListVariables(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        if (AppwriteQueries.Read(request).Count > 0)
        {
            throw new ValidationException("queries", "Queries are not supported on the variables list: it always returns every variable of the function.", "general_query_invalid");
        }

        var countTotal = AppwriteList.CountTotal(request);
        var variables = await sender.Send(new ListVariablesQuery(project, functionId), ct);
        return AppwriteRequest.Json(AppwriteList.Of("variables", variables.Select(v => (JsonNode)VariableModel.From(v)), countTotal));
    }

    public static async Task<IResult> FunctionsCreateVariable(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var body = await AppwriteRequest.BodyAsync<VariableRequest>(request, ct);
        var variable = await sender.Send(new CreateVariableCommand(project, functionId, body.VariableId, body.Key, body.Value, body.Secret), ct);
        return AppwriteRequest.Json(VariableModel.From(variable), StatusCodes.Status201Created);
    }

    public static async Task<IResult> FunctionsGetVariable(string functionId, string variableId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var variable = await sender.Send(new GetVariableQuery(AppwriteRequest.Project(request), functionId, variableId), ct);
        return AppwriteRequest.Json(VariableModel.From(variable));
    }

    public static async Task<IResult> FunctionsUpdateVariable(string functionId, string variableId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var body = await AppwriteRequest.BodyAsync<VariableRequest>(request, ct);
        var variable = await sender.Send(new UpdateVariableCommand(project, functionId, variableId, body.Key, body.Value, body.Secret), ct);
        return AppwriteRequest.Json(VariableModel.From(variable));
    }

    public static async Task<IResult> FunctionsDeleteVariable(string functionId, string variableId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        await sender.Send(new DeleteVariableCommand(AppwriteRequest.Project(request), functionId, variableId), ct);
        return Results.NoContent();
    }
}
