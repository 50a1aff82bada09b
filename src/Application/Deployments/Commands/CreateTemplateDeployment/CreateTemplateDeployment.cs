using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.FunctionTemplates;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Identity;
using MediatR;

namespace FunctionsPlatform.Application.Deployments.Commands.CreateTemplateDeployment;

/// <summary>
/// POST /v1/functions/{id}/deployments/template: a deployment of a catalogue template's code. <see cref="Owner"/>,
/// <see cref="Repository"/> and <see cref="Reference"/> name the entry (its <c>providerOwner</c>,
/// <c>providerRepositoryId</c> and <c>providerVersion</c>), <see cref="RootDirectory"/> one of its runtimes' folders;
/// anything else is <c>function_template_not_found</c>. The folder is packed into an archive and built like an upload,
/// with the function's entrypoint and commands, else the template runtime's.
/// </summary>
[RequiresScope(Scope.FunctionsWrite)]
public sealed record CreateTemplateDeploymentCommand(
    string FunctionId,
    string Repository,
    string Owner,
    string RootDirectory,
    string Type,
    string Reference,
    bool Activate) : ISelfSavingCommand<DeploymentDto>, IWorkspaceScoped
{
    public string WorkspaceId { get; init; } = "";
}

internal sealed class CreateTemplateDeploymentHandler(IFunctionAccess functions, IFunctionTemplateCatalogue catalogue, StoredSourceDeployments queue)
    : IRequestHandler<CreateTemplateDeploymentCommand, DeploymentDto>
{
    public async Task<DeploymentDto> Handle(CreateTemplateDeploymentCommand request, CancellationToken ct)
    {
        var function = await functions.GetForDeploymentsAsync(request.WorkspaceId, request.FunctionId, forWrite: false, ct);
        function.EnsureLive();
        var template = catalogue.Templates.FirstOrDefault(t =>
                t.ProviderOwner == request.Owner && t.ProviderRepositoryId == request.Repository && t.ProviderVersion == request.Reference
                && t.Runtimes.Any(r => r.ProviderRootDirectory == request.RootDirectory))
            ?? throw FunctionTemplateErrors.NotFound(null);

        // A template folder may serve several runtime versions; the function's own runtime names the entry when it is one.
        var runtimes = template.Runtimes.Where(r => r.ProviderRootDirectory == request.RootDirectory).ToList();
        var runtime = runtimes.FirstOrDefault(r => r.Name == function.Runtime) ?? runtimes[0];
        (string Key, long Size) stored;
        await using (var archive = await catalogue.PackAsync(template, request.RootDirectory, ct))
        {
            stored = await queue.StoreArchiveAsync(archive, ct);
        }

        var entrypoint = string.IsNullOrEmpty(function.Entrypoint) ? runtime.Entrypoint : function.Entrypoint;
        var commands = string.IsNullOrEmpty(function.Commands) ? runtime.Commands : function.Commands;
        var provider = new DeploymentProvider(RepositoryName: template.ProviderRepositoryId, RepositoryOwner: template.ProviderOwner);
        var source = new StoredSource(stored.Key, stored.Size, entrypoint, commands, request.Activate, "vcs", provider);
        return await queue.QueueAsync(request.WorkspaceId, request.FunctionId, source, ct);
    }
}
