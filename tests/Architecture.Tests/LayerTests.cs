using System.Reflection;

namespace FunctionsPlatform.Architecture.Tests;

/// <summary>The dependency rule, checked on the compiled assemblies' reference tables.</summary>
public sealed class LayerTests
{
    private const string ProjectPrefix = "FunctionsPlatform.";

    private static IReadOnlyList<string> ProjectReferences(Assembly assembly) =>
        [.. Assemblies.ReferencedNames(assembly).Where(n => n.StartsWith(ProjectPrefix, StringComparison.Ordinal))];

    private static IReadOnlyList<string> Matching(Assembly assembly, params string[] prefixes) =>
        [.. Assemblies.ReferencedNames(assembly).Where(n => prefixes.Any(p => n == p || n.StartsWith(p + ".", StringComparison.Ordinal)))];

    [Test]
    public void Assemblies_WhenLoaded_ShouldHaveTheExpectedNames()
    {
        // Guards the string checks below: a renamed assembly would make them vacuous.
        Assert.That(Assemblies.Domain.GetName().Name, Is.EqualTo("FunctionsPlatform.Domain"));
        Assert.That(Assemblies.Application.GetName().Name, Is.EqualTo("FunctionsPlatform.Application"));
        Assert.That(Assemblies.Infrastructure.GetName().Name, Is.EqualTo("FunctionsPlatform.Infrastructure"));
        Assert.That(Assemblies.Api.GetName().Name, Is.EqualTo("FunctionsPlatform.Api"));
    }

    [Test]
    public void Domain_WhenCompiled_ShouldReferenceNoOtherProject()
    {
        Assert.That(Assemblies.ReferencedNames(Assemblies.Domain), Is.Not.Empty);
        Assert.That(ProjectReferences(Assemblies.Domain), Is.Empty);
    }

    [Test]
    public void Domain_WhenCompiled_ShouldReferenceNoFrameworks() =>
        Assert.That(Matching(Assemblies.Domain, "Microsoft.EntityFrameworkCore", "MediatR", "Microsoft.AspNetCore", "FluentValidation", "Mapster"), Is.Empty);

    [Test]
    public void Application_WhenCompiled_ShouldReferenceOnlyDomainAmongProjects() =>
        Assert.That(ProjectReferences(Assemblies.Application), Is.EquivalentTo(new[] { "FunctionsPlatform.Domain" }));

    [Test]
    public void Application_WhenCompiled_ShouldNotReferenceEfCoreOrAspNet() =>
        Assert.That(Matching(Assemblies.Application, "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient"), Is.Empty);

    [Test]
    public void Application_WhenCompiled_ShouldReferenceMediatR() =>
        // Proves the reference table is read: the check above is not vacuous.
        Assert.That(Matching(Assemblies.Application, "MediatR"), Is.Not.Empty);

    [Test]
    public void Infrastructure_WhenCompiled_ShouldNotReferenceApi()
    {
        Assert.That(ProjectReferences(Assemblies.Infrastructure), Does.Contain("FunctionsPlatform.Application"));
        Assert.That(ProjectReferences(Assemblies.Infrastructure), Does.Not.Contain("FunctionsPlatform.Api"));
    }

    [Test]
    public void DomainTypes_WhenInspected_ShouldExposeNoFrameworkTypes()
    {
        // Reference tables only list what the compiler kept; also check public signatures of the domain types.
        var offenders = Assemblies.Domain.GetTypes()
            .SelectMany(t => t.GetProperties().Select(p => (t, p.PropertyType)))
            .Where(x => x.PropertyType.Namespace is { } ns && (ns.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || ns.StartsWith("MediatR", StringComparison.Ordinal)))
            .Select(x => x.t.FullName)
            .ToList();
        Assert.That(Assemblies.Domain.GetTypes(), Is.Not.Empty);
        Assert.That(offenders, Is.Empty);
    }
}
