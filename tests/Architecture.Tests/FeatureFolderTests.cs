using System.Text.RegularExpressions;
using FluentValidation;
using MediatR;

namespace FunctionsPlatform.Architecture.Tests;

/// <summary>
/// One feature shape everywhere: each request type lives in <c>src/Application/&lt;Feature&gt;/Commands/&lt;UseCase&gt;/</c>
/// or <c>…/Queries/&lt;UseCase&gt;/</c> with the matching namespace, and its handler and validator sit beside it.
/// </summary>
public sealed partial class FeatureFolderTests
{
    private const string ApplicationNamespace = "FunctionsPlatform.Application.";

    /// <summary>
    /// Features whose split into use-case folders is under way on another branch; each entry is removed by that merge.
    /// Kept explicit (and checked to still break the rule) so it cannot hide a new offender.
    /// </summary>
    private static readonly IReadOnlyList<Type> ApplicationTypes = Assemblies.ConcreteTypes(Assemblies.Application);

    private static readonly Lazy<IReadOnlyDictionary<string, string>> SourceFolders = new(ReadSourceFolders);

    [GeneratedRegex(@"^FunctionsPlatform\.Application\.(?<feature>\w+)\.(Commands|Queries)\.\w+$")]
    private static partial Regex UseCaseNamespace();

    [GeneratedRegex(@"\b(?:record|class|interface)\s+(?<name>\w+)")]
    private static partial Regex TypeDeclaration();

    private static readonly IReadOnlyList<Type> AllRequests =
        [.. ApplicationTypes.Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>)))];

    private static IReadOnlyList<Type> Requests() => AllRequests;

    private static IEnumerable<(Type Type, Type Request)> HandlersAndValidators() =>
        from type in ApplicationTypes
        from request in RequestsServedBy(type)
        select (type, request);

    private static IEnumerable<Type> RequestsServedBy(Type type)
    {
        foreach (var service in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)))
        {
            yield return service.GetGenericArguments()[0];
        }

        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(AbstractValidator<>) && Requests().Contains(t.GetGenericArguments()[0]))
            {
                yield return t.GetGenericArguments()[0];
            }
        }
    }

    private static string FeatureOf(Type type) =>
        type.Namespace is { } ns && ns.StartsWith(ApplicationNamespace, StringComparison.Ordinal)
            ? ns[ApplicationNamespace.Length..].Split('.')[0]
            : "";

    /// <summary>Why the request breaks the folder rule, or null when it keeps it.</summary>
    private static string? FolderProblem(Type type, string? expectedNamespace = null)
    {
        var ns = type.Namespace ?? "";
        if (expectedNamespace is null && !UseCaseNamespace().IsMatch(ns))
        {
            return $"{type.FullName}: namespace must be {ApplicationNamespace}<Feature>.Commands|Queries.<UseCase>";
        }

        if (expectedNamespace is not null && ns != expectedNamespace)
        {
            return $"{type.FullName}: must sit beside its request in {expectedNamespace}";
        }

        var folder = ns[ApplicationNamespace.Length..].Replace('.', '/');
        return SourceFolders.Value.TryGetValue(type.Name, out var actual) && actual == folder
            ? null
            : $"{type.FullName}: declared in src/Application/{actual ?? "?"}/, expected src/Application/{folder}/";
    }

    /// <summary>Each type name declared under src/Application, with the folder (relative to it) of the file declaring it.</summary>
    private static IReadOnlyDictionary<string, string> ReadSourceFolders()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "src", "Application")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the repository's src/Application folder was not found above the test directory");
        var application = Path.Combine(root!.FullName, "src", "Application");
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(application, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var folder = Path.GetRelativePath(application, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '/');
            foreach (Match m in TypeDeclaration().Matches(File.ReadAllText(file)))
            {
                folders.TryAdd(m.Groups["name"].Value, folder);
            }
        }

        return folders;
    }

    [Test]
    public void Requests_WhenDeclared_ShouldLiveInTheirUseCaseFolder()
    {
        var requests = Requests().ToList();
        Assert.That(requests, Has.Count.GreaterThan(10), "too few request types found: the rule would pass vacuously");
        Assert.That(requests.Select(r => FolderProblem(r)).OfType<string>().ToList(), Is.Empty);
    }

    [Test]
    public void HandlersAndValidators_WhenDeclared_ShouldSitBesideTheirRequest()
    {
        var pairs = HandlersAndValidators().ToList();
        Assert.That(pairs.Count(p => p.Type.Name.EndsWith("Validator", StringComparison.Ordinal)), Is.GreaterThan(5), "no validators found");
        Assert.That(pairs.Count(p => p.Type.Name.EndsWith("Handler", StringComparison.Ordinal)), Is.GreaterThan(10), "no handlers found");
        Assert.That(pairs.Select(p => FolderProblem(p.Type, p.Request.Namespace)).OfType<string>().ToList(), Is.Empty);
    }

    [Test]
    public void FolderProblem_WhenTypeIsMisplaced_ShouldReportIt()
    {
        // The rule itself can fail: a type outside Application, and one in the wrong namespace, are both reported.
        Assert.That(FolderProblem(typeof(FeatureFolderTests)), Is.Not.Null);
        var request = Requests().First(r => FolderProblem(r) is null);
        Assert.That(FolderProblem(request, "FunctionsPlatform.Application.Elsewhere.Commands.Other"), Is.Not.Null);
    }
}
