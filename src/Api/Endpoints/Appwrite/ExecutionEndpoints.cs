using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Executions.Commands.CreateExecution;
using FunctionsPlatform.Application.Executions.Commands.DeleteExecution;
using FunctionsPlatform.Application.Executions.Queries.GetExecution;
using FunctionsPlatform.Application.Executions.Queries.ListExecutions;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/functions/{functionId}/executions: Appwrite's create (sync, async, scheduled), list, get and delete.</summary>
public sealed class ExecutionEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/functions/{functionId}/executions").WithTags("Appwrite executions");
        group.MapGet("", FunctionsListExecutions).WithName(nameof(FunctionsListExecutions));
        group.MapPost("", FunctionsCreateExecution).WithName(nameof(FunctionsCreateExecution)).Accepts<ExecutionRequest>("application/json");
        group.MapGet("{executionId}", FunctionsGetExecution).WithName(nameof(FunctionsGetExecution));
        group.MapDelete("{executionId}", FunctionsDeleteExecution).WithName(nameof(FunctionsDeleteExecution));
    }

    /// <summary>Synchronous: 201 with the finished execution. Async: 202 <c>waiting</c>; with <c>scheduledAt</c>: 202 <c>scheduled</c>.</summary>
    public static async Task<IResult> FunctionsCreateExecution(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var body = await AppwriteRequest.BodyAsync<ExecutionRequest>(request, ct);
        var execution = await sender.Send(new CreateExecutionCommand(
            functionId, body.Body, body.Async ?? false, body.Path, body.Method, body.Headers, body.ScheduledAtValue(), project), ct);
        var status = body.Async == true ? StatusCodes.Status202Accepted : StatusCodes.Status201Created;
        return AppwriteRequest.Json(ExecutionModel.From(execution, AppwriteRequest.Format(request)), status);
    }

    public static async Task<IResult> FunctionsListExecutions(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var page = await sender.Send(new ListExecutionsQuery(project, functionId, AppwriteQueries.Read(request), AppwriteList.CountTotal(request)), ct);
        var format = AppwriteRequest.Format(request);
        return AppwriteRequest.Json(AppwriteList.Of("executions", page.Items.Select(e => (JsonNode)ExecutionModel.From(e, format)), page.PageInfo.Total));
    }

    public static async Task<IResult> FunctionsGetExecution(string functionId, string executionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var execution = await sender.Send(new GetExecutionQuery(functionId, executionId, AppwriteRequest.Project(request)), ct);
        return AppwriteRequest.Json(ExecutionModel.From(execution, AppwriteRequest.Format(request)));
    }

    /// <summary>204; a scheduled execution is cancelled, a running one is <c>execution_in_progress</c>.</summary>
    public static async Task<IResult> FunctionsDeleteExecution(string functionId, string executionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        await sender.Send(new DeleteExecutionCommand(functionId, executionId, AppwriteRequest.Project(request)), ct);
        return Results.NoContent();
    }
}
