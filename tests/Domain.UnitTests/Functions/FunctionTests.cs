using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Functions;

public sealed class FunctionTests
{
    private static Function NewFunction(string name = "hello", FunctionSettings? settings = null) =>
        Function.Create("fun_1", "ws_1", name, "node-20", Now, settings: settings);

    private static FunctionVersion NewVersion(string id = "funver_1", string functionId = "fun_1") =>
        FunctionVersion.Create(id, functionId, "v1", null, null, Now);

    [Test]
    public void Create_WhenValid_ShouldSetFieldsAndRaiseCreated()
    {
        var function = Function.Create("fun_1", "ws_1", "hello", "node-20", Now.AddTicks(5), description: "d");

        Assert.That(function.Id, Is.EqualTo("fun_1"));
        Assert.That(function.WorkspaceId, Is.EqualTo("ws_1"));
        Assert.That(function.Description, Is.EqualTo("d"));
        Assert.That(function.Timeout, Is.EqualTo(FunctionLimits.DefaultTimeoutSeconds));
        Assert.That(function.CreatedAt, Is.EqualTo(Now), "times are truncated to milliseconds");
        Assert.That(function.IsDeleted, Is.False);
        Assert.That(AssertRaised<FunctionCreated>(function).WorkspaceId, Is.EqualTo("ws_1"));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Create_WhenNameEmpty_ShouldThrowNameInvalid(string name) =>
        AssertDomainError(FunctionErrors.NameInvalid, () => NewFunction(name));

    [Test]
    public void Create_WhenNameAtLimit_ShouldSucceed() =>
        Assert.That(NewFunction(new string('a', FunctionLimits.NameMaxLength)).Name, Has.Length.EqualTo(FunctionLimits.NameMaxLength));

    [Test]
    public void Create_WhenNameOverLimit_ShouldThrowNameInvalid() =>
        AssertDomainError(FunctionErrors.NameInvalid, () => NewFunction(new string('a', FunctionLimits.NameMaxLength + 1)));

    [Test]
    public void Create_WhenDescriptionTooLong_ShouldThrow() =>
        AssertDomainError(FunctionErrors.DescriptionTooLong,
            () => Function.Create("fun_1", "ws_1", "n", "node-20", Now, description: new string('d', FunctionLimits.DescriptionMaxLength + 1)));

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(FunctionLimits.MaxTimeoutSeconds + 1)]
    public void Create_WhenTimeoutOutOfRange_ShouldThrow(int timeout) =>
        AssertDomainError(FunctionErrors.TimeoutOutOfRange, () => NewFunction(settings: new FunctionSettings { Timeout = timeout }));

    [TestCase(1)]
    [TestCase(FunctionLimits.MaxTimeoutSeconds)]
    public void Create_WhenTimeoutAtBounds_ShouldSucceed(int timeout) =>
        Assert.That(NewFunction(settings: new FunctionSettings { Timeout = timeout }).Timeout, Is.EqualTo(timeout));

    [Test]
    public void Create_WhenTooManyListItems_ShouldThrow() =>
        AssertDomainError(FunctionErrors.TooManyItems,
            () => NewFunction(settings: new FunctionSettings { Execute = [.. Enumerable.Range(0, FunctionLimits.MaxListItems + 1).Select(i => $"r{i}")] }));

    [Test]
    public void UpdateDetails_WhenClearDescription_ShouldSetNull()
    {
        var function = Function.Create("fun_1", "ws_1", "n", "node-20", Now, description: "d");
        function.UpdateDetails(null, null, null, clearDescription: true, Now.AddSeconds(1));
        Assert.That(function.Description, Is.Null);
        Assert.That(function.UpdatedAt, Is.EqualTo(Now.AddSeconds(1)));
    }

    [Test]
    public void SoftDelete_WhenLive_ShouldSetDeletedAtAndRaise()
    {
        var function = NewFunction();
        function.SoftDelete(Now);
        Assert.That(function.DeletedAt, Is.EqualTo(Now));
        Assert.That(function.IsDeleted, Is.True);
        AssertRaised<FunctionSoftDeleted>(function);
    }

    [Test]
    public void SoftDelete_WhenAlreadyDeleted_ShouldThrowDeleted()
    {
        var function = NewFunction();
        function.SoftDelete(Now);
        AssertDomainError(FunctionErrors.Deleted, () => function.SoftDelete(Now));
    }

    [Test]
    public void Restore_WhenDeleted_ShouldClearDeletedAt()
    {
        var function = NewFunction();
        function.SoftDelete(Now);
        function.Restore(Now);
        Assert.That(function.DeletedAt, Is.Null);
        AssertRaised<FunctionRestored>(function);
    }

    [Test]
    public void Restore_WhenNotDeleted_ShouldThrowNotDeleted() =>
        AssertDomainError(FunctionErrors.NotDeleted, () => NewFunction().Restore(Now));

    [Test]
    public void EnsurePurgeable_WhenNotDeleted_ShouldThrowNotDeleted() =>
        AssertDomainError(FunctionErrors.NotDeleted, () => NewFunction().EnsurePurgeable(Now));

    [Test]
    public void EnsurePurgeable_WhenDeleted_ShouldRaisePurged()
    {
        var function = NewFunction();
        function.SoftDelete(Now);
        function.EnsurePurgeable(Now);
        AssertRaised<FunctionPurged>(function);
    }

    private static readonly (string Name, Action<Function> Change)[] ChangesOnDeleted =
    [
        ("UpdateDetails", f => f.UpdateDetails("x", null, null, false, Now)),
        ("Reconfigure", f => f.Reconfigure("x", null, new FunctionSettings(), Now)),
        ("SetDefaultVersion", f => f.SetDefaultVersion(NewVersion(), Now)),
        ("SoftDelete", f => f.SoftDelete(Now)),
        ("EnsureLive", f => f.EnsureLive()),
    ];

    private static IEnumerable<TestCaseData> ChangeCases() =>
        ChangesOnDeleted.Select(c => new TestCaseData(c.Change).SetName($"{c.Name}_WhenFunctionDeleted_ShouldThrowDeleted"));

    [TestCaseSource(nameof(ChangeCases))]
    public void Change_WhenFunctionDeleted_ShouldThrowDeleted(Action<Function> change)
    {
        var function = NewFunction();
        function.SoftDelete(Now);
        AssertDomainError(FunctionErrors.Deleted, () => change(function));
    }

    [Test]
    public void SetDefaultVersion_WhenLiveVersionOfSameFunction_ShouldSetAndRaiseCodeChanged()
    {
        var function = NewFunction();
        function.ClearDomainEvents();
        function.SetDefaultVersion(NewVersion(), Now);
        Assert.That(function.DefaultVersionId, Is.EqualTo("funver_1"));
        AssertRaised<FunctionCodeChanged>(function);
        Assert.That(function.DomainEvents.OfType<FunctionDefaultVersionSet>().Single().VersionId, Is.EqualTo("funver_1"));
        Assert.That(function.DomainEvents[^1], Is.InstanceOf<FunctionDefaultVersionSet>(), "raised after the eviction's event, so the old processes go first");
    }

    [Test]
    public void SetDefaultVersion_WhenAlreadyDefault_ShouldNotRaiseAgain()
    {
        var function = NewFunction();
        function.SetDefaultVersion(NewVersion(), Now);
        function.ClearDomainEvents();
        function.SetDefaultVersion(NewVersion(), Now);
        Assert.That(function.DomainEvents.OfType<FunctionCodeChanged>(), Is.Empty);
        Assert.That(function.DomainEvents.OfType<FunctionDefaultVersionSet>(), Is.Empty);
    }

    [Test]
    public void SetDefaultVersion_WhenVersionOfAnotherFunction_ShouldThrow() =>
        AssertDomainError(FunctionErrors.VersionOfAnotherFunction, () => NewFunction().SetDefaultVersion(NewVersion(functionId: "fun_2"), Now));

    [Test]
    public void SetDefaultVersion_WhenVersionDeleted_ShouldThrow()
    {
        var version = NewVersion();
        version.SoftDelete(Now);
        AssertDomainError(FunctionErrors.VersionDeleted, () => NewFunction().SetDefaultVersion(version, Now));
    }

    [Test]
    public void Reconfigure_WhenEntrypointChanges_ShouldRaiseCodeChangedAndGoNotLive()
    {
        var function = NewFunction();
        function.ClearDomainEvents();
        function.Reconfigure("hello", null, new FunctionSettings { Entrypoint = "main.js" }, Now);
        Assert.That(function.Live, Is.False);
        Assert.That(function.Entrypoint, Is.EqualTo("main.js"));
        AssertRaised<FunctionCodeChanged>(function);
    }

    [Test]
    public void Reconfigure_WhenNothingCodeRelatedChanges_ShouldNotRaiseCodeChanged()
    {
        var function = NewFunction();
        function.ClearDomainEvents();
        function.Reconfigure("hello", null, new FunctionSettings { Timeout = 30 }, Now);
        Assert.That(function.DomainEvents.OfType<FunctionCodeChanged>(), Is.Empty);
        Assert.That(function.Live, Is.True);
        Assert.That(function.Timeout, Is.EqualTo(30));
    }

    [Test]
    public void Reconfigure_OfSettingsOnly_ShouldRaiseDetailsChanged_SoCachedCopiesGo()
    {
        var function = NewFunction();
        function.ClearDomainEvents();
        function.Reconfigure("hello", null, new FunctionSettings { Execute = ["any"], Enabled = false }, Now);
        AssertRaised<FunctionDetailsChanged>(function);
    }

    [Test]
    public void VariablesChanged_WhenCalled_ShouldRaiseCodeChanged()
    {
        var function = NewFunction();
        function.VariablesChanged(Now);
        AssertRaised<FunctionCodeChanged>(function);
        Assert.That(function.Live, Is.False);
    }

    [Test]
    public void UpdateDetails_WhenCalled_ShouldChangeConcurrencyStamp()
    {
        var function = NewFunction();
        var before = function.ConcurrencyStamp;
        function.UpdateDetails("renamed", null, null, false, Now);
        Assert.That(function.ConcurrencyStamp, Is.Not.EqualTo(before));
    }
}
