using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Variables.Commands.CreateWorkspaceVariable;
using FunctionsPlatform.Application.Variables.Commands.DeleteWorkspaceVariable;
using FunctionsPlatform.Application.Variables.Commands.UpdateWorkspaceVariable;
using FunctionsPlatform.Application.Variables.Queries.GetWorkspaceVariable;
using FunctionsPlatform.Application.Variables.Queries.ListWorkspaceVariables;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/project/variables: Appwrite's project variables, which every function of the workspace sees.</summary>
public sealed class ProjectVariableEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/project/variables").WithTags("Appwrite project variables");
        group.MapGet("", ProjectListVariables).WithName(nameof(ProjectListVariables));
        group.MapPost("", ProjectCreateVariable).WithName(nameof(ProjectCreateVariable)).Accepts<VariableRequest>("application/json");
        group.MapGet("{variableId}", ProjectGetVariable).WithName(nameof(ProjectGetVariable));
        group.MapPut("{variableId}", ProjectUpdateVariable).WithName(nameof(ProjectUpdateVariable)).Accepts<VariableRequest>("application/json");
        group.MapDelete("{variableId}", ProjectDeleteVariable).WithName(nameof(ProjectDeleteVariable));
    }

    /// <summary>Every variable of the workspace, in creation order; queries are refused rather than ignored.</summary>
    public static async Task<IResult> ProjectListVariables(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        if (AppwriteQueries.Read(request).Count > 0)
        {
            throw new ValidationException("queries", "Queries are not supported on the variables list: it always returns every variable of the project.", "general_query_invalid");
        }

        var countTotal = AppwriteList.CountTotal(request);
        var variables = await sender.Send(new ListWorkspaceVariablesQuery(project), ct);
        return AppwriteRequest.Json(AppwriteList.Of("variables", variables.Select(v => (JsonNode)ProjectVariableModel.From(v)), countTotal));
    }

    public static async Task<IResult> ProjectCreateVariable(HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var body = await AppwriteRequest.BodyAsync<VariableRequest>(request, ct);
        var variable = await sender.Send(new CreateWorkspaceVariableCommand(project, body.VariableId, body.Key, body.Value, body.Secret), ct);
        return AppwriteRequest.Json(ProjectVariableModel.From(variable), StatusCodes.Status201Created);
    }

    public static async Task<IResult> ProjectGetVariable(string variableId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var variable = await sender.Send(new GetWorkspaceVariableQuery(AppwriteRequest.Project(request), variableId), ct);
        return AppwriteRequest.Json(ProjectVariableModel.From(variable));
    }

    public static async Task<IResult> ProjectUpdateVariable(string variableId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var body = await AppwriteRequest.BodyAsync<VariableRequest>(request, ct);
        var variable = await sender.Send(new UpdateWorkspaceVariableCommand(project, variableId, body.Key, body.Value, body.Secret), ct);
        return AppwriteRequest.Json(ProjectVariableModel.From(variable));
    }

    public static async Task<IResult> ProjectDeleteVariable(string variableId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        await sender.Send(new DeleteWorkspaceVariableCommand(AppwriteRequest.Project(request), variableId), ct);
        return Results.NoContent();
    }
}
