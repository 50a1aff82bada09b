using FunctionsPlatform.Application.Deployments.Commands.CreateTemplateDeployment;
using FunctionsPlatform.Application.Deployments.Commands.CreateVcsDeployment;
using FunctionsPlatform.Application.Deployments.Commands.DuplicateDeployment;
using FunctionsPlatform.Application.FunctionTemplates.Queries.GetFunctionTemplate;
using FunctionsPlatform.Application.FunctionTemplates.Queries.ListFunctionTemplates;

namespace FunctionsPlatform.Application.UnitTests.Deployments;

/// <summary>One test per rule of the duplicate, template and git deployment requests and of the template queries.</summary>
public sealed class DeploymentSourceValidationTests
{
    private static IEnumerable<string> Errors<T>(FluentValidation.IValidator<T> validator, T request) =>
        validator.Validate(request).Errors.Select(e => e.PropertyName);

    // Duplicate

    private static readonly DuplicateDeploymentValidator Duplicate = new();

    [Test]
    public void Duplicate_Valid_ShouldPass() => Assert.That(Errors(Duplicate, new DuplicateDeploymentCommand("fun_1", "dep_1")), Is.Empty);

    [Test]
    public void Duplicate_FunctionIdEmpty_ShouldFail() => Assert.That(Errors(Duplicate, new DuplicateDeploymentCommand("", "dep_1")), Does.Contain("functionId"));

    [Test]
    public void Duplicate_DeploymentIdEmpty_ShouldFail() => Assert.That(Errors(Duplicate, new DuplicateDeploymentCommand("fun_1", "")), Does.Contain("deploymentId"));

    // Template deployment

    private static readonly CreateTemplateDeploymentValidator Template = new();

    private static CreateTemplateDeploymentCommand ValidTemplate() => new("fun_1", "templates", "functions-platform", "node/hello-world", "tag", "1.0.0", true);

    [Test]
    public void Template_Valid_ShouldPass() => Assert.That(Errors(Template, ValidTemplate()), Is.Empty);

    [Test]
    public void Template_FunctionIdEmpty_ShouldFail() => Assert.That(Errors(Template, ValidTemplate() with { FunctionId = "" }), Does.Contain("functionId"));

    [TestCase("")]
    [TestCase("r234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public void Template_RepositoryEmptyOrTooLong_ShouldFail(string value) => Assert.That(Errors(Template, ValidTemplate() with { Repository = value }), Does.Contain("repository"));

    [TestCase("")]
    [TestCase("o234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public void Template_OwnerEmptyOrTooLong_ShouldFail(string value) => Assert.That(Errors(Template, ValidTemplate() with { Owner = value }), Does.Contain("owner"));

    [TestCase("")]
    [TestCase("d234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public void Template_RootDirectoryEmptyOrTooLong_ShouldFail(string value) => Assert.That(Errors(Template, ValidTemplate() with { RootDirectory = value }), Does.Contain("rootDirectory"));

    [TestCase("")]
    [TestCase("v234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public void Template_ReferenceEmptyOrTooLong_ShouldFail(string value) => Assert.That(Errors(Template, ValidTemplate() with { Reference = value }), Does.Contain("reference"));

    [TestCase("")]
    [TestCase("release")]
    public void Template_TypeUnknown_ShouldFail(string value) => Assert.That(Errors(Template, ValidTemplate() with { Type = value }), Does.Contain("type"));

    // Git deployment

    private static readonly CreateVcsDeploymentValidator Vcs = new();

    private static CreateVcsDeploymentCommand ValidVcs() => new("fun_1", "branch", "main", true, "app");

    [Test]
    public void Vcs_Valid_ShouldPass()
    {
        Assert.That(Errors(Vcs, ValidVcs()), Is.Empty);
        Assert.That(Errors(Vcs, ValidVcs() with { Type = "commit", Reference = new string('a', 40) }), Is.Empty);
        Assert.That(Errors(Vcs, ValidVcs() with { Reference = "feature/new-thing_2", ProviderRootDirectory = null }), Is.Empty);
    }

    [Test]
    public void Vcs_FunctionIdEmpty_ShouldFail() => Assert.That(Errors(Vcs, ValidVcs() with { FunctionId = "" }), Does.Contain("functionId"));

    [TestCase("")]
    [TestCase("tag")]
    [TestCase("Branch")]
    public void Vcs_TypeNotBranchOrCommit_ShouldFail(string type) => Assert.That(Errors(Vcs, ValidVcs() with { Type = type }), Does.Contain("type"));

    [Test]
    public void Vcs_ReferenceEmpty_ShouldFail() => Assert.That(Errors(Vcs, ValidVcs() with { Reference = "" }), Does.Contain("reference"));

    [Test]
    public void Vcs_ReferenceTooLong_ShouldFail() => Assert.That(Errors(Vcs, ValidVcs() with { Reference = new string('a', 256) }), Does.Contain("reference"));

    [TestCase("-uhelp")]
    [TestCase("--upload-pack=touch /tmp/pwned")]
    [TestCase("a..b")]
    [TestCase("has space")]
    [TestCase("x~1")]
    [TestCase("x^")]
    [TestCase("a:b")]
    [TestCase("what?")]
    [TestCase("star*")]
    [TestCase("br[a]")]
    [TestCase("back\\slash")]
    [TestCase("/leading")]
    [TestCase("trailing/")]
    [TestCase("dot.")]
    [TestCase("x.lock")]
    [TestCase("a//b")]
    [TestCase("a@{1}")]
    [TestCase("@")]
    [TestCase(".hidden")]
    [TestCase("a/.hidden")]
    [TestCase("tab\there")]
    public void Vcs_BranchNotAGitBranchName_ShouldFail(string reference) => Assert.That(Errors(Vcs, ValidVcs() with { Reference = reference }), Does.Contain("reference"));

    [TestCase("abc1234")]
    [TestCase("main")]
    [TestCase("-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Vcs_CommitNotAFullHash_ShouldFail(string reference) => Assert.That(Errors(Vcs, ValidVcs() with { Type = "commit", Reference = reference }), Does.Contain("reference"));

    [TestCase("../outside")]
    [TestCase("app/../../outside")]
    [TestCase("/etc")]
    [TestCase("-rf")]
    [TestCase("a\\b")]
    [TestCase("a\nb")]
    public void Vcs_RootDirectoryLeavingTheCheckout_ShouldFail(string root) => Assert.That(Errors(Vcs, ValidVcs() with { ProviderRootDirectory = root }), Does.Contain("providerRootDirectory"));

    [Test]
    public void Vcs_RootDirectoryTooLong_ShouldFail() => Assert.That(Errors(Vcs, ValidVcs() with { ProviderRootDirectory = new string('a', 129) }), Does.Contain("providerRootDirectory"));

    // Template queries

    private static readonly ListFunctionTemplatesValidator List = new();

    [Test]
    public void ListTemplates_Valid_ShouldPass() => Assert.That(Errors(List, new ListFunctionTemplatesQuery(["node-22"], ["starter"], 5000, 5000)), Is.Empty);

    [TestCase(0)]
    [TestCase(5001)]
    public void ListTemplates_LimitOutOfRange_ShouldFail(int limit) => Assert.That(Errors(List, new ListFunctionTemplatesQuery([], [], limit)), Does.Contain("limit"));

    [TestCase(-1)]
    [TestCase(5001)]
    public void ListTemplates_OffsetOutOfRange_ShouldFail(int offset) => Assert.That(Errors(List, new ListFunctionTemplatesQuery([], [], 25, offset)), Does.Contain("offset"));

    [Test]
    public void ListTemplates_TooManyRuntimes_ShouldFail() =>
        Assert.That(Errors(List, new ListFunctionTemplatesQuery([.. Enumerable.Range(0, 101).Select(i => $"r{i}")], [])), Does.Contain("runtimes"));

    [Test]
    public void ListTemplates_TooManyUseCases_ShouldFail() =>
        Assert.That(Errors(List, new ListFunctionTemplatesQuery([], [.. Enumerable.Range(0, 101).Select(i => $"u{i}")])), Does.Contain("useCases"));

    private static readonly GetFunctionTemplateValidator Get = new();

    [Test]
    public void GetTemplate_Valid_ShouldPass() => Assert.That(Errors(Get, new GetFunctionTemplateQuery("hello-world")), Is.Empty);

    [TestCase("")]
    [TestCase("t23456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789")]
    public void GetTemplate_IdEmptyOrTooLong_ShouldFail(string id) => Assert.That(Errors(Get, new GetFunctionTemplateQuery(id)), Does.Contain("templateId"));
}
