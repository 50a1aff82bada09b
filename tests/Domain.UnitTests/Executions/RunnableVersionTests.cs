using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Executions;

public sealed class RunnableVersionTests
{
    private static Function NewFunction(string? entrypoint = null, int timeout = FunctionLimits.DefaultTimeoutSeconds, string runtime = "node-20") =>
        Function.Create("fun_1", "ws_1", "hello", runtime, Now, settings: new FunctionSettings { Entrypoint = entrypoint, Timeout = timeout });

    private static FunctionVersion NewVersion(params string[] paths) =>
        FunctionVersion.Create("funver_1", "fun_1", "v1", null, null, Now, paths.Select(p => VersionFile.Create(p, "")));

    [TestCase(new[] { "main.py", "index.mjs" }, null, "index.mjs")]
    [TestCase(new[] { "main.py", "index.mjs", "index.js" }, null, "index.js")]
    [TestCase(new[] { "main.py" }, null, "main.py")]
    [TestCase(new[] { "index.js", "src/app.js" }, "src/app.js", "src/app.js")]
    [TestCase(new[] { "index.js" }, "src/app.js", "src/app.js")]
    [TestCase(new[] { "other.js" }, null, "index.js")]
    [TestCase(new string[0], null, "index.js")]
    public void EntrypointOf_WhenFiles_ShouldPickExpected(string[] paths, string? functionEntrypoint, string expected) =>
        Assert.That(RunnableVersion.EntrypointOf(NewFunction(functionEntrypoint), NewVersion(paths)), Is.EqualTo(expected));

    [Test]
    public void EntrypointOf_WhenPythonAndNoConventionalFile_ShouldNameMainPy() =>
        Assert.That(RunnableVersion.EntrypointOf(NewFunction(runtime: "python-3.12"), NewVersion("app.py")), Is.EqualTo("main.py"));

    [Test]
    public void Of_WhenLive_ShouldCarryTheEntrypoint()
    {
        var runnable = RunnableVersion.Of(NewFunction(), NewVersion("index.mjs"));
        Assert.That(runnable.Entrypoint, Is.EqualTo("index.mjs"));
        Assert.That(runnable.Version.Id, Is.EqualTo("funver_1"));
    }

    [Test]
    public void Of_WhenFunctionSoftDeleted_ShouldRefuseWithFunctionDeleted()
    {
        var function = NewFunction();
        function.SoftDelete(Now);
        AssertDomainError(FunctionErrors.Deleted, () => RunnableVersion.Of(function, NewVersion("index.js")));
    }

    [Test]
    public void Of_WhenVersionSoftDeleted_ShouldRefuseWithVersionDeleted()
    {
        var version = NewVersion("index.js");
        version.SoftDelete(Now);
        AssertDomainError(FunctionVersionErrors.Deleted, () => RunnableVersion.Of(NewFunction(), version));
    }

    [Test]
    public void Of_WhenVersionOfAnotherFunction_ShouldRefuse()
    {
        var other = FunctionVersion.Create("funver_9", "fun_9", "v1", null, null, Now);
        AssertDomainError(FunctionErrors.VersionOfAnotherFunction, () => RunnableVersion.Of(NewFunction(), other));
    }

    [Test]
    public void VersionIdToRun_WhenNoneAskedAndNoDefault_ShouldRefuseWithNoDefaultVersion() =>
        AssertDomainError(ExecutionErrors.NoDefaultVersion, () => RunnableVersion.VersionIdToRun(NewFunction(), null));

    [Test]
    public void VersionIdToRun_WhenAsked_ShouldPreferItOverTheDefault()
    {
        var function = NewFunction();
        function.SetDefaultVersion(NewVersion("index.js"), Now);
        Assert.That(RunnableVersion.VersionIdToRun(function, "funver_2"), Is.EqualTo("funver_2"));
        Assert.That(RunnableVersion.VersionIdToRun(function, null), Is.EqualTo("funver_1"));
    }

    [Test]
    public void VersionIdToRun_WhenFunctionSoftDeleted_ShouldRefuseBeforeLookingForAVersion()
    {
        var function = NewFunction();
        function.SoftDelete(Now);
        AssertDomainError(FunctionErrors.Deleted, () => RunnableVersion.VersionIdToRun(function, null));
    }

    [TestCase(15, 15)]
    [TestCase(30, 30)]
    [TestCase(31, RunnableVersion.MaxSynchronousTimeoutSeconds)]
    [TestCase(900, RunnableVersion.MaxSynchronousTimeoutSeconds)]
    public void SynchronousTimeoutSeconds_WhenFunctionTimeoutSet_ShouldBeCappedAt30(int timeout, int expected) =>
        Assert.That(RunnableVersion.Of(NewFunction(timeout: timeout), NewVersion("index.js")).SynchronousTimeoutSeconds, Is.EqualTo(expected));
}
