using FunctionsPlatform.Application.Abstractions.Scheduling;
using FunctionsPlatform.Application.Executions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsPlatform.Infrastructure.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>Cron schedules of functions, the scheduler service, and the <c>scheduledAt</c> rule in force.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SchedulingOptions.SectionName);
        services.Configure<SchedulingOptions>(section);
        var options = section.Get<SchedulingOptions>() ?? new SchedulingOptions();
        services.Replace(ServiceDescriptor.Singleton(
            new ScheduledExecutionRules(TimeSpan.FromSeconds(Math.Max(1, options.ScheduledExecutionMinimumLeadSeconds)))));
        services.AddSingleton<ICronSchedules, CronSchedules>();
        services.AddScoped<FunctionScheduleTicks>();
        services.AddSingleton<CronScheduler>();
        if (options.Enabled)
        {
            services.AddHostedService(sp => sp.GetRequiredService<CronScheduler>());
        }

        return services;
    }
}
