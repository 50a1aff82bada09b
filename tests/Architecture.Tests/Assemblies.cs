using System.Reflection;

namespace FunctionsPlatform.Architecture.Tests;

internal static class Assemblies
{
    public static readonly Assembly Domain = typeof(FunctionsPlatform.Domain.Functions.Function).Assembly;
    public static readonly Assembly Application = typeof(FunctionsPlatform.Application.DependencyInjection).Assembly;
    public static readonly Assembly Infrastructure = typeof(FunctionsPlatform.Infrastructure.Persistence.AppDbContext).Assembly;
    public static readonly Assembly Api = typeof(Program).Assembly;

    public static IReadOnlyList<string> ReferencedNames(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    public static IReadOnlyList<Type> ConcreteTypes(params Assembly[] assemblies) =>
        [.. assemblies.SelectMany(a => a.GetTypes()).Where(t => t is { IsClass: true, IsAbstract: false } && !IsCompilerGenerated(t))];

    private static bool IsCompilerGenerated(Type type) =>
        type.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is not null || type.Name.Contains('<');
}
