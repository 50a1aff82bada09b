using FunctionsPlatform.Application.Abstractions.Messaging;
using MediatR;

namespace FunctionsPlatform.Application.UnitTests.Common;

public sealed class RegistrationTests
{
    private static readonly System.Reflection.Assembly ApplicationAssembly = typeof(DependencyInjection).Assembly;

    [Test]
    public void CreateMappingConfig_WhenCompiled_ShouldSucceed()
    {
        var config = DependencyInjection.CreateMappingConfig();
        Assert.That(config.RuleMap, Is.Not.Empty, "the Mapster scan found no mappings: the compile check would prove nothing");
        Assert.DoesNotThrow(() => config.Compile());
    }

    [Test]
    public void FindHandlers_WhenScanningApplication_ShouldGiveEveryRequestExactlyOneHandler()
    {
        var requests = ApplicationAssembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false })
            .Select(t => (Type: t, Request: t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>))))
            .Where(x => x.Request is not null)
            .ToList();
        var handlers = DependencyInjection.FindHandlers(ApplicationAssembly).ToList();

        Assert.That(requests, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (type, request) in requests)
            {
                var response = request!.GetGenericArguments()[0];
                var service = typeof(IRequestHandler<,>).MakeGenericType(type, response);
                var count = handlers.Count(h => h.Service == service);
                Assert.That(count, Is.EqualTo(1), $"{type.Name} has {count} handlers for IRequestHandler<{type.Name}, {response.Name}>");
            }
        });
    }

    [Test]
    public void FindHandlers_WhenScanningApplication_ShouldOnlyFindHandlersOfKnownRequests()
    {
        var handlers = DependencyInjection.FindHandlers(ApplicationAssembly).ToList();
        Assert.That(handlers, Is.Not.Empty);
        foreach (var (service, implementation) in handlers)
        {
            var request = service.GetGenericArguments()[0];
            Assert.That(request.Assembly, Is.EqualTo(ApplicationAssembly), $"{implementation.Name} handles a request from another assembly");
        }
    }

    [Test]
    public void Requests_WhenDeclared_ShouldBeCommandsOrQueries()
    {
        var requests = ApplicationAssembly.GetTypes()
            .Where(t => !t.IsInterface && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>)))
            .ToList();
        Assert.That(requests, Is.Not.Empty);
        foreach (var type in requests)
        {
            var kinds = type.GetInterfaces().Where(i => i.IsGenericType
                && (i.GetGenericTypeDefinition() == typeof(ICommand<>) || i.GetGenericTypeDefinition() == typeof(IQuery<>)
                    || i.GetGenericTypeDefinition() == typeof(ISelfSavingCommand<>)));
            Assert.That(kinds.Count(), Is.EqualTo(1), $"{type.Name} must be exactly one of ICommand<> / IQuery<> / ISelfSavingCommand<>");
        }
    }
}
