using FunctionsPlatform.Application.Abstractions.Deployments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.DeploymentSources;

public static class DeploymentSourcesServiceCollectionExtensions
{
    /// <summary>The template catalogue (<c>Templates:*</c>) and git checkouts (<c>Vcs:*</c>) deployments are made from.</summary>
    public static IServiceCollection AddDeploymentSources(this IServiceCollection services, IConfiguration configuration)
    {
        var templates = configuration.GetSection(TemplateSettings.SectionName).Get<TemplateSettings>() ?? new TemplateSettings();
        var vcs = configuration.GetSection(VcsSettings.SectionName).Get<VcsSettings>() ?? new VcsSettings();
        if (vcs.TimeoutSeconds is < 1 or > 3600)
        {
            throw new InvalidOperationException("Vcs:TimeoutSeconds must be 1-3600.");
        }

        if (vcs.AllowedRepositories.Any(e => e.Trim().StartsWith('-')))
        {
            throw new InvalidOperationException("Vcs:AllowedRepositories entries are URL prefixes or absolute paths; none may start with '-'.");
        }

        services.AddSingleton(templates);
        services.AddSingleton(vcs);
        services.AddSingleton<DirectoryArchiver>();
        services.AddSingleton<IFunctionTemplateCatalogue, FunctionTemplateCatalogue>();
        services.AddSingleton<IGitSources, GitSources>();
        return services;
    }
}
