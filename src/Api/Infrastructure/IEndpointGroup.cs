namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>One resource's endpoints. Every implementation in this assembly is found and mapped at start-up.</summary>
public interface IEndpointGroup
{
    void Map(IEndpointRouteBuilder app);
}

public static class EndpointGroupExtensions
{
    public static WebApplication MapEndpointGroups(this WebApplication app)
    {
        var groups = typeof(IEndpointGroup).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IEndpointGroup).IsAssignableFrom(t))
            .Select(t => (IEndpointGroup)Activator.CreateInstance(t)!);
        foreach (var group in groups)
        {
            group.Map(app);
        }

        return app;
    }
}
