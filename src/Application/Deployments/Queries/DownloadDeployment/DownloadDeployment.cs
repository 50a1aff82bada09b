using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Queries.DownloadDeployment;

/// <summary>
/// GET /v1/functions/{id}/deployments/{deploymentId}/download: <c>source</c> is the uploaded archive, <c>output</c> the
/// build artifact as a .tar.gz. Either is <c>deployment_not_found</c> until it exists (an upload in progress, a build
/// not ready). The caller disposes <see cref="DeploymentDownload.Content"/>, which is seekable so a range can be served.
/// </summary>
[RequiresScope(Scope.FunctionsRead)]
public sealed record DownloadDeploymentQuery(string WorkspaceId, string FunctionId, string DeploymentId, string Type = DownloadDeploymentQuery.Source)
    : IQuery<DeploymentDownload>, IWorkspaceScoped
{
    public const string Source = "source";
    public const string Output = "output";
}

public sealed record DeploymentDownload(Stream Content, string FileName, string ContentType);

internal sealed class DownloadDeploymentHandler(IDeploymentAccess access, IBlobStorage blobs, IDeploymentArtifacts artifacts)
    : IRequestHandler<DownloadDeploymentQuery, DeploymentDownload>
{
    public async Task<DeploymentDownload> Handle(DownloadDeploymentQuery request, CancellationToken ct)
    {
        var (_, deployment) = await access.GetAsync(request.WorkspaceId, request.FunctionId, request.DeploymentId, forWrite: false, ct);
        if (request.Type == DownloadDeploymentQuery.Output)
        {
            if (deployment.BuildKey is not { } buildKey || artifacts.Find(buildKey) is null)
            {
                throw DeploymentAccess.NotFound(deployment.Id);
            }

            return new DeploymentDownload(await artifacts.OpenArchiveAsync(buildKey, ct), $"{deployment.Id}-output-code.tar.gz", "application/octet-stream");
        }

        var source = deployment.SourceKey is { } sourceKey ? await blobs.OpenAsync(sourceKey, ct) : null;
        return source is null
            ? throw DeploymentAccess.NotFound(deployment.Id)
            : new DeploymentDownload(source, $"{deployment.Id}-source.tar.gz", "application/gzip");
    }
}

internal sealed class DownloadDeploymentValidator : AbstractValidator<DownloadDeploymentQuery>
{
    public DownloadDeploymentValidator() =>
        RuleFor(q => q.Type).Must(t => t is DownloadDeploymentQuery.Source or DownloadDeploymentQuery.Output)
            .WithMessage("Value must be one of (source, output)").OverridePropertyName("type");
}
