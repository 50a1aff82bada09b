using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Functions.Commands.DeleteFunctionPermanently;

/// <summary>
/// DELETE /v1/functions/{id}: Appwrite has no soft delete. The function goes with its versions, deployments,
/// executions and variables (the database cascades), then the code archives no other deployment shares.
/// Saves itself so the archives are removed only once the rows are gone.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record DeleteFunctionPermanentlyCommand(string WorkspaceId, string FunctionId) : ISelfSavingCommand<SuccessDto>, IWorkspaceScoped;

internal sealed class DeleteFunctionPermanentlyHandler(
    IFunctionAccess access,
    IRepository<Function> functions,
    IReadRepository<Deployment> deployments,
    IBlobStorage blobs,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<DeleteFunctionPermanentlyHandler> logger) : MediatR.IRequestHandler<DeleteFunctionPermanentlyCommand, SuccessDto>
{
    public async Task<SuccessDto> Handle(DeleteFunctionPermanentlyCommand request, CancellationToken cancellationToken)
    {
        var function = await access.GetInWorkspaceAsync(request.WorkspaceId, request.FunctionId, cancellationToken, forWrite: true);
        var archives = (await deployments.ListAsync(new DeploymentArchivesSpec(function.Id), cancellationToken))
            .SelectMany(keys => new[] { keys.SourceKey, keys.BuildKey })
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var now = clock.GetUtcNow();
        function.SoftDelete(now);
        function.EnsurePurgeable(now);
        functions.Remove(function);
        await unitOfWork.SaveChangesAsync(cancellationToken);

        foreach (var key in archives)
        {
            // Archives are content-addressed: another function's deployment may hold the same bytes.
            if (await deployments.AnyAsync(new DeploymentUsingArchiveSpec(key), CancellationToken.None))
            {
                continue;
            }

            try
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Archive {Key} of deleted function {FunctionId} could not be removed", key, function.Id);
            }
        }

        return new SuccessDto(true);
    }
}

/// <summary>The archive keys of a function's deployments.</summary>
public sealed class DeploymentArchivesSpec : Specification<Deployment, DeploymentArchives>
{
    public DeploymentArchivesSpec(string functionId)
    {
        Query.Where(d => d.FunctionId == functionId);
        Select(d => new DeploymentArchives(d.SourceKey, d.BuildKey));
    }
}

public sealed record DeploymentArchives(string? SourceKey, string? BuildKey);

/// <summary>Whether any deployment still refers to an archive.</summary>
public sealed class DeploymentUsingArchiveSpec : Specification<Deployment>
{
    public DeploymentUsingArchiveSpec(string key) => Query.Where(d => d.SourceKey == key || d.BuildKey == key);
}
