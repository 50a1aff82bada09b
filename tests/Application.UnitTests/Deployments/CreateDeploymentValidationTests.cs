using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Deployments.Commands.CreateDeployment;

namespace FunctionsPlatform.Application.UnitTests.Deployments;

/// <summary>One test per rule of a deployment upload request, and the Content-Range grammar.</summary>
public sealed class CreateDeploymentValidationTests
{
    private static readonly CreateDeploymentValidator Validator = new();
    private static readonly DeploymentUploadFieldsValidator FieldsValidator = new();

    private static CreateDeploymentCommand Valid() =>
        new("fun_1", new DeploymentUploadBody(Stream.Null, "code.tar.gz", new DeploymentUploadFields(true)), "bytes 0-9/10", "dep_1");

    private static DeploymentUploadFields ValidFields() => new(true, "index.js", "npm i");

    private static IEnumerable<string> Errors(CreateDeploymentCommand command) => Validator.Validate(command).Errors.Select(e => e.PropertyName);

    private static IEnumerable<string> Errors(DeploymentUploadFields fields) => FieldsValidator.Validate(fields).Errors.Select(e => e.PropertyName);

    [Test]
    public void Valid_ShouldPass() => Assert.That(Errors(Valid()).Concat(Errors(ValidFields())), Is.Empty);

    [Test]
    public void FunctionId_Empty_ShouldFail() => Assert.That(Errors(Valid() with { FunctionId = "" }), Does.Contain("functionId"));

    [Test]
    public void Entrypoint_TooLong_ShouldFail() => Assert.That(Errors(ValidFields() with { Entrypoint = new string('a', 1029) }), Does.Contain("entrypoint"));

    [Test]
    public void Commands_TooLong_ShouldFail() => Assert.That(Errors(ValidFields() with { Commands = new string('a', 8193) }), Does.Contain("commands"));

    [Test]
    public void Type_Unknown_ShouldFail() => Assert.That(Errors(Valid() with { Type = "ftp" }), Does.Contain("type"));

    [TestCase("../x")]
    [TestCase("_starts-special")]
    [TestCase("a234567890123456789012345678901234567")]
    public void UploadId_NotAnId_ShouldFail(string id) => Assert.That(Errors(Valid() with { UploadId = id }), Does.Contain("x-appwrite-id"));

    [TestCase("bytes 0-5242879/12582912", 0, 5242879, 12582912)]
    [TestCase("bytes 10485760-12582911/12582912", 10485760, 12582911, 12582912)]
    [TestCase("bytes 0-0/1", 0, 0, 1)]
    public void ContentRange_WellFormed_ShouldParse(string header, long start, long end, long total)
    {
        Assert.That(ContentRange.TryParse(header, out var range), Is.True);
        Assert.That(range, Is.EqualTo(new ContentRange(start, end, total)));
        Assert.That(range.Length, Is.EqualTo(end - start + 1));
    }

    [TestCase(null)]
    [TestCase("bytes 3-2/10")]
    [TestCase("bytes 0-10/10")]
    [TestCase("bytes 0-9/0")]
    [TestCase("bytes +0-9/10")]
    [TestCase("bytes 0x1-9/10")]
    [TestCase("bytes 0-9/10/11")]
    [TestCase("bytes 0-9")]
    [TestCase("bytes */10")]
    [TestCase("bytes 0-99999999999999999999/100000000000000000000")]
    public void ContentRange_Malformed_ShouldNotParse(string? header) => Assert.That(ContentRange.TryParse(header, out _), Is.False);
}
