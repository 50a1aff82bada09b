using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Application.Deployments.Commands.ActivateDeployment;
using FunctionsPlatform.Application.Deployments.Commands.CancelDeploymentBuild;
using FunctionsPlatform.Application.Deployments.Commands.CreateDeployment;
using FunctionsPlatform.Application.Deployments.Commands.DeleteDeployment;
using FunctionsPlatform.Application.Deployments.Queries.DownloadDeployment;
using FunctionsPlatform.Application.Deployments.Queries.GetDeployment;
using FunctionsPlatform.Application.Deployments.Queries.ListDeployments;
using FunctionsPlatform.Application.Functions.Queries.GetWorkspaceFunction;
using MediatR;
using Microsoft.AspNetCore.Http.Features;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>/v1/functions/{functionId}/deployments: upload (whole or chunked), get, list, delete, cancel, activate, download.</summary>
public sealed class DeploymentEndpoints : IEndpointGroup
{
    /// <summary>Room for the multipart framing and text fields around the largest archive an upload may carry.</summary>
    private const long MultipartOverheadBytes = 1024 * 1024;

    public void Map(IEndpointRouteBuilder app)
    {
        var function = app.MapGroup("/v1/functions/{functionId}").WithTags("Appwrite deployments");
        function.MapPatch("deployment", FunctionsUpdateFunctionDeployment).WithName(nameof(FunctionsUpdateFunctionDeployment)).Accepts<ActivateDeploymentRequest>("application/json");

        var group = function.MapGroup("deployments");
        group.MapPost("", FunctionsCreateDeployment).WithName(nameof(FunctionsCreateDeployment)).Accepts<IFormFile>("multipart/form-data").DisableAntiforgery();
        group.MapGet("", FunctionsListDeployments).WithName(nameof(FunctionsListDeployments));
        group.MapGet("{deploymentId}", FunctionsGetDeployment).WithName(nameof(FunctionsGetDeployment));
        group.MapDelete("{deploymentId}", FunctionsDeleteDeployment).WithName(nameof(FunctionsDeleteDeployment));
        group.MapPatch("{deploymentId}", FunctionsActivateDeployment).WithName(nameof(FunctionsActivateDeployment));
        group.MapPatch("{deploymentId}/status", FunctionsUpdateDeploymentStatus).WithName(nameof(FunctionsUpdateDeploymentStatus));
        group.MapGet("{deploymentId}/download", FunctionsGetDeploymentDownload).WithName(nameof(FunctionsGetDeploymentDownload));
    }

    /// <summary>
    /// One upload request: the whole archive, or one chunk of Appwrite's protocol (<c>Content-Range</c>, and from the
    /// second chunk on <c>x-appwrite-id</c>). Every request answers 202 with the deployment as it stands.
    /// </summary>
    public static async Task<IResult> FunctionsCreateDeployment(string functionId, HttpRequest request, IMediator sender, DeploymentSettings settings, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        AllowArchiveSizedBody(request.HttpContext, settings);
        var form = await DeploymentUploadForm.OpenAsync(request, ct);
        var contentRange = request.Headers.ContentRange.ToString();
        var uploadId = request.Headers["x-appwrite-id"].ToString();
        var type = string.Equals(request.Headers["x-sdk-language"].ToString(), "cli", StringComparison.OrdinalIgnoreCase) ? "cli" : "manual";
        var command = new CreateDeploymentCommand(functionId, form, NullIfEmpty(contentRange), NullIfEmpty(uploadId), type) { WorkspaceId = project };
        var deployment = await sender.Send(command, ct);
        return AppwriteRequest.Json(DeploymentModel.From(deployment, AppwriteRequest.Format(request)), StatusCodes.Status202Accepted);
    }

    /// <summary>The function's deployments, oldest first unless ordered; <c>select</c> keeps the chosen attributes and the <c>$</c> ones.</summary>
    public static async Task<IResult> FunctionsListDeployments(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        var countTotal = request.Query["total"].Count == 0
            || (LooseBooleanConverter.Parse(request.Query["total"].ToString()) ?? throw new ValidationException("total", "Value must be a valid boolean"));
        var search = request.Query["search"].ToString();
        var page = await sender.Send(new ListDeploymentsQuery(project, functionId, AppwriteQueries.Read(request), search, countTotal), ct);
        var format = AppwriteRequest.Format(request);
        return AppwriteRequest.Json(new JsonObject
        {
            ["total"] = page.Total,
            ["deployments"] = new JsonArray([.. page.Items.Select(d => (JsonNode)DeploymentModel.From(d, format, page.Select))]),
        });
    }

    public static async Task<IResult> FunctionsGetDeployment(string functionId, string deploymentId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var deployment = await sender.Send(new GetDeploymentQuery(functionId, deploymentId) { WorkspaceId = AppwriteRequest.Project(request) }, ct);
        return AppwriteRequest.Json(DeploymentModel.From(deployment, AppwriteRequest.Format(request)));
    }

    /// <summary>204 without a body; the SDKs send <c>{}</c> with a DELETE, which is ignored.</summary>
    public static async Task<IResult> FunctionsDeleteDeployment(string functionId, string deploymentId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        await sender.Send(new DeleteDeploymentCommand(functionId, deploymentId) { WorkspaceId = AppwriteRequest.Project(request) }, ct);
        return Results.NoContent();
    }

    /// <summary>Cancels the build; answers the deployment, now <c>canceled</c>.</summary>
    public static async Task<IResult> FunctionsUpdateDeploymentStatus(string functionId, string deploymentId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var deployment = await sender.Send(new CancelDeploymentBuildCommand(functionId, deploymentId) { WorkspaceId = AppwriteRequest.Project(request) }, ct);
        return AppwriteRequest.Json(DeploymentModel.From(deployment, AppwriteRequest.Format(request)));
    }

    /// <summary>PATCH /v1/functions/{id}/deployment <c>{"deploymentId"}</c>: makes a ready deployment the active one; answers the function.</summary>
    public static async Task<IResult> FunctionsUpdateFunctionDeployment(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var body = await AppwriteRequest.BodyAsync<ActivateDeploymentRequest>(request, ct);
        if (string.IsNullOrEmpty(body.DeploymentId))
        {
            throw new ValidationException("deploymentId", "Param \"deploymentId\" is not optional.");
        }

        return await ActivateAsync(functionId, body.DeploymentId, request, sender, ct);
    }

    /// <summary>The older path of the same activation (deployment id in the path); it takes no body.</summary>
    public static Task<IResult> FunctionsActivateDeployment(string functionId, string deploymentId, HttpRequest request, IMediator sender, CancellationToken ct) =>
        ActivateAsync(functionId, deploymentId, request, sender, ct);

    /// <summary>
    /// <c>type=source</c> (default) is the uploaded archive, <c>type=output</c> the build output. A <c>Range</c> header is
    /// answered with 206 and the part; a range outside the file is 416 <c>storage_invalid_range</c>.
    /// </summary>
    public static async Task<IResult> FunctionsGetDeploymentDownload(string functionId, string deploymentId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var type = request.Query["type"].Count == 0 ? DownloadDeploymentQuery.Source : request.Query["type"].ToString();
        var download = await sender.Send(new DownloadDeploymentQuery(AppwriteRequest.Project(request), functionId, deploymentId, type), ct);
        if (!RangeSatisfiable(request, download.Content.Length))
        {
            request.HttpContext.Response.Headers.ContentRange = $"bytes */{download.Content.Length}";
            await download.Content.DisposeAsync();
            return Results.Json(
                AppwriteErrorBody.Of(StatusCodes.Status416RangeNotSatisfiable, "storage_invalid_range", "The requested range is outside the file."),
                AppwriteJson.Options, "application/json", StatusCodes.Status416RangeNotSatisfiable);
        }

        request.HttpContext.Response.Headers.CacheControl = "private, max-age=3888000";
        return Results.File(download.Content, download.ContentType, download.FileName, enableRangeProcessing: true);
    }

    /// <summary>
    /// False only for a well-formed byte range set none of whose ranges overlaps the file (answered with Appwrite's
    /// 416 body); a malformed Range header is ignored and the whole file served, as HTTP prescribes.
    /// </summary>
    private static bool RangeSatisfiable(HttpRequest request, long length)
    {
        var header = request.Headers.Range.ToString();
        if (header.Length == 0 || !Microsoft.Net.Http.Headers.RangeHeaderValue.TryParse(header, out var range)
            || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return range.Ranges.Any(r => r.From is { } from ? from < length : r.To > 0 && length > 0);
    }

    private static async Task<IResult> ActivateAsync(string functionId, string deploymentId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var project = AppwriteRequest.Project(request);
        await sender.Send(new ActivateDeploymentCommand(functionId, deploymentId) { WorkspaceId = project }, ct);
        var function = await sender.Send(new GetWorkspaceFunctionQuery(project, functionId), ct);
        return AppwriteRequest.Json(FunctionModel.From(function, AppwriteRequest.Format(request)));
    }

    /// <summary>The API's general body limit is below an archive's; this route allows the archive limit plus the form around it.</summary>
    private static void AllowArchiveSizedBody(HttpContext context, DeploymentSettings settings)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxSizeBytes > 0 ? settings.MaxSizeBytes + MultipartOverheadBytes : null;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
