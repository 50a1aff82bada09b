using System.Reflection;
using FluentValidation;
using FunctionsPlatform.Application.Common.Behaviours;
using FunctionsPlatform.Application.Workspaces;
using Mapster;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1.0 wired by hand: the mediator, every closed <c>IRequestHandler&lt;,&gt;</c> of this assembly, and the
    /// behaviours. MediatR 5 folds behaviours in reverse, so registration order is outermost first.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = typeof(DependencyInjection).Assembly;

        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        foreach (var (service, implementation) in FindHandlers(assembly))
        {
            services.AddTransient(service, implementation);
        }

        foreach (var (service, implementation) in FindDomainEventHandlers(assembly))
        {
            services.AddScoped(service, implementation);
        }

        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ExecutionRecordsBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(UnitOfWorkBehaviour<,>));

        // Validators are stateless and depend on singletons only: built once (building the rules per request cost ~50 µs).
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddSingleton(CreateMappingConfig());
        services.AddSingleton<MapsterMapper.IMapper>(sp => new MapsterMapper.Mapper(sp.GetRequiredService<TypeAdapterConfig>()));
        services.AddSingleton<Common.Querying.ListQueryBuilder>();
        services.AddScoped<IWorkspaceAccess, WorkspaceAccess>();
        services.AddSingleton<WorkspaceGrantCache>();
        services.AddSingleton<Executions.FunctionSnapshotCache>();
        services.AddScoped<Functions.IFunctionAccess, Functions.FunctionAccess>();
        services.AddScoped<Schemas.ISchemaReferences, Schemas.SchemaReferences>();
        services.AddScoped<FunctionVersions.IFunctionVersionAccess, FunctionVersions.FunctionVersionAccess>();
        services.AddScoped<Schemas.ISchemaAccess, Schemas.SchemaAccess>();
        services.AddScoped<Executions.Running.IQueuedExecutionRunner, Executions.Running.QueuedExecutionRunner>();
        services.AddScoped<Executions.ExecutionCode>();
        services.AddScoped<Executions.Running.SynchronousExecutionRunner>();
        services.AddScoped<Variables.FunctionEnvironment>();
        // Appwrite's scheduling rule; Infrastructure replaces it when a shorter lead is configured (tests).
        services.AddSingleton(Executions.ScheduledExecutionRules.Appwrite);
        services.AddScoped<Deployments.IDeploymentAccess, Deployments.DeploymentAccess>();
        services.AddScoped<Deployments.DeploymentLifecycle>();
        services.AddScoped<Deployments.StoredSourceDeployments>();
        services.AddScoped<Deployments.IDeploymentRetention, Deployments.DeploymentRetention>();
        services.AddSingleton<Deployments.DeploymentUploadLocks>();
        services.AddSingleton<Deployments.BuildQueueSignal>();
        services.AddSingleton<Deployments.Building.BuildCancellations>();
        services.AddSingleton<Deployments.Building.IDeploymentBuildRunner, Deployments.Building.DeploymentBuildRunner>();
        return services;
    }

    public static TypeAdapterConfig CreateMappingConfig()
    {
        var config = new TypeAdapterConfig { RequireDestinationMemberSource = true };
        config.Scan(typeof(DependencyInjection).Assembly);
        return config;
    }

    /// <summary>Each concrete class implementing a closed <c>IDomainEventHandler&lt;TEvent&gt;</c>, run after the unit of work saved.</summary>
    public static IEnumerable<(Type Service, Type Implementation)> FindDomainEventHandlers(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }
        from service in type.GetInterfaces()
        where service.IsGenericType && service.GetGenericTypeDefinition() == typeof(Abstractions.Messaging.IDomainEventHandler<>)
        select (service, type);

    /// <summary>Each concrete class implementing a closed <c>IRequestHandler&lt;TRequest,TResponse&gt;</c>.</summary>
    public static IEnumerable<(Type Service, Type Implementation)> FindHandlers(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }
        from service in type.GetInterfaces()
        where service.IsGenericType && service.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)
        select (service, type);
}
