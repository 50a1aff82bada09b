using FluentValidation;
using FunctionsPlatform.Application;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>The composed container: singletons (validators included) never capture a scoped service.</summary>
public sealed class ContainerTests
{
    [Test]
    public async Task Container_WhenBuiltWithScopeValidation_ShouldResolveEveryValidatorFromTheRoot()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fp-container-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddApplication();
        services.AddInfrastructure(configuration);
        services.AddScoped<ICurrentPrincipal, TestPrincipal>();
        var validators = services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidator<>)).ToList();

        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.That(validators, Is.Not.Empty);
        Assert.That(validators.Select(v => v.Lifetime), Is.All.EqualTo(ServiceLifetime.Singleton));
        Assert.That(validators.Select(v => provider.GetService(v.ServiceType)), Is.All.Not.Null);
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
