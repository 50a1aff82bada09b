using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Commands.CreateVcsDeployment;

/// <summary>
/// POST /v1/functions/{id}/deployments/vcs: a deployment of a git revision of the repository the function's
/// <c>providerRepositoryId</c> names (a URL or a local path on the operator's allow-list). The revision is cloned
/// shallowly, its <c>providerRootDirectory</c> (this request's, else the function's) packed and built like an upload;
/// the commit's hash, author, message and branch are recorded on the deployment.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateVcsDeploymentCommand(string FunctionId, string Type, string Reference, bool Activate, string? ProviderRootDirectory = null)
    : ISelfSavingCommand<DeploymentDto>, IWorkspaceScoped
{
    public string WorkspaceId { get; init; } = "";
}

internal sealed class CreateVcsDeploymentHandler(IFunctionAccess functions, IGitSources git, StoredSourceDeployments queue)
    : IRequestHandler<CreateVcsDeploymentCommand, DeploymentDto>
{
    public async Task<DeploymentDto> Handle(CreateVcsDeploymentCommand request, CancellationToken ct)
    {
        var function = await functions.GetForDeploymentsAsync(request.WorkspaceId, request.FunctionId, forWrite: false, ct);
        function.EnsureLive();
        if (!git.Enabled)
        {
            // No repository is allowed on this server: git deployments are off.
            throw new NotFoundException("Git installation", null, "installation_not_found");
        }

        var repository = function.ProviderRepositoryId;
        if (repository.Length == 0)
        {
            throw new NotFoundException("Git repository of the function (providerRepositoryId)", null, "installation_not_found");
        }

        if (!git.IsAllowed(repository))
        {
            throw new ValidationException("providerRepositoryId", "The function's repository is not on this server's allow-list of git repositories.");
        }

        var rootDirectory = request.ProviderRootDirectory ?? function.ProviderRootDirectory;
        if (!CreateVcsDeploymentValidator.IsSafeRootDirectory(rootDirectory))
        {
            throw new ValidationException("providerRootDirectory", CreateVcsDeploymentValidator.RootDirectoryRule);
        }

        var entrypoint = function.Entrypoint ?? "";
        if (entrypoint.Length == 0)
        {
            throw new NotFoundException("Entrypoint", null, "function_entrypoint_missing");
        }

        var type = request.Type == "commit" ? GitReferenceType.Commit : GitReferenceType.Branch;
        await using var checkout = await git.CheckoutAsync(repository, new GitRevision(type, request.Reference), rootDirectory, ct);
        var stored = await queue.StoreArchiveAsync(checkout.Archive, ct);

        var provider = new DeploymentProvider(
            RepositoryName: RepositoryName(repository), RepositoryUrl: repository, CommitHash: checkout.CommitHash,
            CommitAuthor: checkout.CommitAuthor, CommitMessage: checkout.CommitMessage, Branch: checkout.Branch);
        var source = new StoredSource(stored.Key, stored.Size, entrypoint, function.Commands, request.Activate, "vcs", provider);
        return await queue.QueueAsync(request.WorkspaceId, request.FunctionId, source, ct);
    }

    /// <summary>The last path segment without <c>.git</c>: what Appwrite shows as the repository's name.</summary>
    private static string RepositoryName(string repository)
    {
        var name = repository.TrimEnd('/').Split('/', ':').Last();
        return name.EndsWith(".git", StringComparison.Ordinal) ? name[..^4] : name;
    }
}
