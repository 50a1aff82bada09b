using System.Reflection;
using FunctionsPlatform.Api.Infrastructure;
using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Api.FunctionalTests.Errors;

/// <summary>
/// Every named domain error says which request field it concerns (or none), and /api reports it under exactly that key.
/// The table pins each key: a new error with a field must be added here, a changed key breaks a client.
/// </summary>
public sealed class DomainErrorFieldTests
{
    private static readonly Dictionary<string, string> ExpectedFields = new(StringComparer.Ordinal)
    {
        ["FunctionErrors.NameInvalid"] = "name",
        ["FunctionErrors.DescriptionTooLong"] = "description",
        ["FunctionErrors.TimeoutOutOfRange"] = "timeout",
        ["FunctionVersionErrors.NameInvalid"] = "name",
        ["FunctionVersionErrors.PathInvalid"] = "files",
        ["FunctionVersionErrors.PathConflict"] = "files",
        ["FunctionVersionErrors.TooManyFiles"] = "files",
        ["FunctionVersionErrors.FileTooLarge"] = "files",
        ["FunctionVersionErrors.FilesTooLarge"] = "files",
        ["IdentityErrors.NameInvalid"] = "name",
        ["IdentityErrors.EmailInvalid"] = "email",
        ["IdentityErrors.UnknownScope"] = "scopes",
        ["IdentityErrors.ExpiryInPast"] = "expiresAt",
        ["IdentityErrors.EmailTaken"] = "email",
        ["IdentityErrors.KeyNotUsable"] = "password",
        ["ProxyRuleErrors.DomainNotAllowed"] = "domain",
        ["VariableErrors.KeyInvalid"] = "key",
        ["VariableErrors.ValueInvalid"] = "value",
        ["VariableErrors.CannotUnsetSecret"] = "secret",
        ["SchemaErrors.NameInvalid"] = "name",
        ["SchemaErrors.DocumentTooLarge"] = "schema",
        ["WorkspaceErrors.NameInvalid"] = "name",
        ["WorkspaceErrors.IdInvalid"] = "id",
    };

    /// <summary>Each public static <see cref="DomainError"/> of the domain, named <c>Class.Field</c>.</summary>
    private static readonly IReadOnlyList<(string Name, DomainError Error)> AllErrors =
        [.. typeof(DomainError).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true }) // static classes
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.FieldType == typeof(DomainError))
                .Select(f => ($"{t.Name}.{f.Name}", (DomainError)f.GetValue(null)!)))];

    [Test]
    public void AllErrors_WhenReflected_ShouldFindTheErrorClasses()
    {
        Assert.That(AllErrors, Has.Count.GreaterThan(30), "the reflection found too few errors: the checks below would be vacuous");
        Assert.That(AllErrors.Select(e => e.Error.Code), Is.Unique, "each rule has its own code");
    }

    [Test]
    public void ErrorsWithAField_WhenListed_ShouldMatchThePinnedTable()
    {
        var withField = AllErrors.Where(e => e.Error.Field is not null).ToDictionary(e => e.Name, e => e.Error.Field!);
        Assert.That(withField, Is.EquivalentTo(ExpectedFields));
    }

    [Test]
    public void ValidationErrors_WhenTranslated_ShouldBeKeyedByTheirFieldOnly()
    {
        var validation = AllErrors.Where(e => e.Error.Kind == ErrorKind.Validation).ToList();
        Assert.That(validation, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (name, error) in validation)
            {
                var translated = ErrorTranslation.Translate(new DomainException(error))!;
                Assert.That(translated.Status, Is.EqualTo(400), name);
                Assert.That(translated.AppwriteType, Is.EqualTo(error.AppwriteType), name);
                if (error.Field is null)
                {
                    Assert.That(translated.Errors, Is.Null, $"{name} concerns no single field: no errors entry");
                }
                else
                {
                    Assert.That(translated.Errors!.Keys, Is.EqualTo(new[] { ExpectedFields[name] }), name);
                    Assert.That(translated.Errors[error.Field], Is.EqualTo(new[] { error.Message }), name);
                }
            }
        });
    }

    [Test]
    public void SharedRule_WhenGivenTheFieldItBroke_ShouldBeKeyedByIt()
    {
        var error = Domain.Functions.FunctionErrors.TooManyItems.WithField("events");
        Assert.That(ErrorTranslation.Translate(new DomainException(error))!.Errors!.Keys, Is.EqualTo(new[] { "events" }));
    }

    [TestCase(ErrorKind.NotFound, 404)]
    [TestCase(ErrorKind.Conflict, 409)]
    [TestCase(ErrorKind.Forbidden, 403)]
    public void NonValidationErrors_WhenTranslated_ShouldCarryNoFieldErrors(ErrorKind kind, int status)
    {
        var translated = ErrorTranslation.Translate(new DomainException(new DomainError("x.y", "m", kind, "t", Field: "name")))!;
        Assert.That(translated.Status, Is.EqualTo(status));
        Assert.That(translated.Errors, Is.Null);
    }
}
