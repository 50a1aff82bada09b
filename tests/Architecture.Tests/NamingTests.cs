using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Architecture.Tests;

/// <summary>Names say what things are (STYLE "A feature"). Each rule first proves its set is not empty.</summary>
public sealed class NamingTests
{
    private static readonly IReadOnlyList<Type> AllTypes =
        Assemblies.ConcreteTypes(Assemblies.Domain, Assemblies.Application, Assemblies.Infrastructure, Assemblies.Api);

    private static bool Implements(Type type, Type openGeneric) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == openGeneric);

    private static bool DerivesFrom(Type type, Type openGeneric)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == openGeneric)
            {
                return true;
            }
        }

        return false;
    }

    private static void AssertSuffix(IReadOnlyList<Type> types, string what, params string[] suffixes)
    {
        Assert.That(types, Is.Not.Empty, $"no {what} found: the rule would pass vacuously");
        var offenders = types.Where(t => !suffixes.Any(s => t.Name.EndsWith(s, StringComparison.Ordinal))).Select(t => t.FullName).ToList();
        Assert.That(offenders, Is.Empty, $"{what} must end with {string.Join(" or ", suffixes)}");
    }

    [Test]
    public void RequestHandlers_WhenDeclared_ShouldEndWithHandler() =>
        AssertSuffix([.. AllTypes.Where(t => Implements(t, typeof(IRequestHandler<,>)))], "request handlers", "Handler");

    [Test]
    public void Validators_WhenDeclared_ShouldEndWithValidator() =>
        AssertSuffix([.. AllTypes.Where(t => DerivesFrom(t, typeof(AbstractValidator<>)))], "validators", "Validator");

    [Test]
    public void Requests_WhenDeclared_ShouldEndWithCommandOrQuery() =>
        AssertSuffix([.. AllTypes.Where(t => Implements(t, typeof(IRequest<>)))], "request types", "Command", "Query");

    [Test]
    public void EntityTypeConfigurations_WhenDeclared_ShouldEndWithConfiguration() =>
        AssertSuffix([.. AllTypes.Where(t => Implements(t, typeof(IEntityTypeConfiguration<>)))], "entity type configurations", "Configuration");

    [Test]
    public void AssertSuffix_WhenNameBreaksRule_ShouldFail()
    {
        // The rule itself can fail: a type named without the suffix is reported.
        Assert.Throws<AssertionException>(() => AssertSuffix([typeof(NamingTests)], "sample", "Handler"));
        Assert.Throws<AssertionException>(() => AssertSuffix([], "sample", "Handler"));
    }
}
