using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Application.Deployments.Commands.CreateTemplateDeployment;
using FunctionsPlatform.Application.Deployments.Commands.CreateVcsDeployment;
using FunctionsPlatform.Application.Deployments.Commands.DuplicateDeployment;
using MediatR;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>
/// Deployments whose source the server fetches itself: a duplicate (rebuild) of an existing deployment's source, a
/// catalogue template, or a git revision. Each answers 202 with the new deployment, queued like a finished upload.
/// </summary>
public sealed class DeploymentSourceEndpoints : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/functions/{functionId}/deployments").WithTags("Appwrite deployments");
        group.MapPost("duplicate", FunctionsCreateDuplicateDeployment).WithName(nameof(FunctionsCreateDuplicateDeployment)).Accepts<DuplicateDeploymentRequest>("application/json");
        group.MapPost("template", FunctionsCreateTemplateDeployment).WithName(nameof(FunctionsCreateTemplateDeployment)).Accepts<TemplateDeploymentRequest>("application/json");
        group.MapPost("vcs", FunctionsCreateVcsDeployment).WithName(nameof(FunctionsCreateVcsDeployment)).Accepts<VcsDeploymentRequest>("application/json");
        // Older paths of the same rebuild: the deployment id in the path; the build id is ignored, as Appwrite does.
        group.MapPost("{deploymentId}/build", FunctionsCreateBuild).WithName(nameof(FunctionsCreateBuild));
        group.MapPost("{deploymentId}/builds/{buildId}", FunctionsCreateBuildWithId).WithName(nameof(FunctionsCreateBuildWithId));
    }

    public static async Task<IResult> FunctionsCreateDuplicateDeployment(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var body = await AppwriteRequest.BodyAsync<DuplicateDeploymentRequest>(request, ct);
        return await DuplicateAsync(functionId, body.DeploymentId ?? "", request, sender, ct);
    }

    public static Task<IResult> FunctionsCreateBuild(string functionId, string deploymentId, HttpRequest request, IMediator sender, CancellationToken ct) =>
        DuplicateAsync(functionId, deploymentId, request, sender, ct);

    public static Task<IResult> FunctionsCreateBuildWithId(string functionId, string deploymentId, string buildId, HttpRequest request, IMediator sender, CancellationToken ct) =>
        DuplicateAsync(functionId, deploymentId, request, sender, ct);

    /// <summary>
    /// A catalogue template's code; <c>reference</c> (or the older clients' <c>version</c>) is the entry's
    /// <c>providerVersion</c>, and <c>type</c> defaults to <c>tag</c> when only <c>version</c> is sent.
    /// </summary>
    public static async Task<IResult> FunctionsCreateTemplateDeployment(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var body = await AppwriteRequest.BodyAsync<TemplateDeploymentRequest>(request, ct);
        var command = new CreateTemplateDeploymentCommand(
            functionId, body.Repository ?? "", body.Owner ?? "", body.RootDirectory ?? "", body.Type ?? "tag",
            body.Reference ?? body.Version ?? "", body.Activate ?? false) { WorkspaceId = AppwriteRequest.Project(request) };
        return Accepted(await sender.Send(command, ct), request);
    }

    /// <summary>A git revision (<c>type</c> branch|commit, <c>reference</c>) of the function's repository.</summary>
    public static async Task<IResult> FunctionsCreateVcsDeployment(string functionId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var body = await AppwriteRequest.BodyAsync<VcsDeploymentRequest>(request, ct);
        var command = new CreateVcsDeploymentCommand(functionId, body.Type ?? "", body.Reference ?? "", body.Activate ?? false, body.ProviderRootDirectory)
        {
            WorkspaceId = AppwriteRequest.Project(request),
        };
        return Accepted(await sender.Send(command, ct), request);
    }

    private static IResult Accepted(Application.Deployments.DeploymentDto deployment, HttpRequest request) =>
        AppwriteRequest.Json(DeploymentModel.From(deployment, AppwriteRequest.Format(request)), StatusCodes.Status202Accepted);

    private static async Task<IResult> DuplicateAsync(string functionId, string deploymentId, HttpRequest request, IMediator sender, CancellationToken ct)
    {
        var deployment = await sender.Send(new DuplicateDeploymentCommand(functionId, deploymentId) { WorkspaceId = AppwriteRequest.Project(request) }, ct);
        return Accepted(deployment, request);
    }
}
