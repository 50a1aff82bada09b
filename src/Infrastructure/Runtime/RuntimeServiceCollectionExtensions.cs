using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Runtime.AsyncExecutions;
using FunctionsPlatform.Infrastructure.Runtime.Bundles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FunctionsPlatform.Infrastructure.Runtime;

public static class RuntimeServiceCollectionExtensions
{
    /// <summary>The runtime catalog, the out-of-process executor, the bundle store and their lifetime service.</summary>
    public static IServiceCollection AddRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RuntimeOptions>(configuration.GetSection(RuntimeOptions.SectionName));
        services.AddSingleton<RuntimeCatalog>();
        services.AddSingleton<IRuntimeCatalog>(sp => sp.GetRequiredService<RuntimeCatalog>());
        services.AddSingleton<BundleStore>();
        services.AddSingleton<ProcessRuntimeExecutor>();
        services.AddSingleton<IRuntimeExecutor>(sp => sp.GetRequiredService<ProcessRuntimeExecutor>());
        services.AddSingleton<IHostedService, RuntimeLifetimeService>();
        services.AddScoped<IExecutionLeases, ExecutionLeases>();
        services.AddSingleton<ExecutionQueueSignal>();
        services.AddSingleton<IExecutionQueueSignal>(sp => sp.GetRequiredService<ExecutionQueueSignal>());
        if (configuration.GetValue(RuntimeOptions.SectionName + ":" + nameof(RuntimeOptions.AsyncWorkers), 4) > 0)
        {
            services.AddHostedService<AsyncExecutionWorker>();
        }
        return services;
    }
}
