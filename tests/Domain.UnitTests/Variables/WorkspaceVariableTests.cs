using FunctionsPlatform.Domain.Variables;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Variables;

public sealed class WorkspaceVariableTests
{
    [Test]
    public void Create_ShouldRaiseWorkspaceVariableChangedForItsWorkspace()
    {
        var variable = WorkspaceVariable.Create("var_1", "ws_1", "KEY", "v", secret: true, Now);
        var raised = AssertRaised<WorkspaceVariableChanged>(variable);
        Assert.That((raised.VariableId, raised.WorkspaceId, variable.Secret), Is.EqualTo(("var_1", "ws_1", true)));
    }

    [Test]
    public void Create_WhenWorkspaceMissing_ShouldThrowWorkspaceRequired() =>
        AssertDomainError(WorkspaceVariableErrors.WorkspaceRequired, () => WorkspaceVariable.Create("var_1", "", "KEY", "v", false, Now));

    [Test]
    public void Create_WhenKeyEmpty_ShouldThrowKeyInvalid() =>
        AssertDomainError(VariableErrors.KeyInvalid, () => WorkspaceVariable.Create("var_1", "ws_1", " ", "v", false, Now));

    [Test]
    public void Create_WhenValueTooLong_ShouldThrowValueInvalid() =>
        AssertDomainError(VariableErrors.ValueInvalid, () => WorkspaceVariable.Create("var_1", "ws_1", "K", new string('v', Variable.ValueMaxLength + 1), false, Now));

    [Test]
    public void Update_WhenSecretUnset_ShouldThrowCannotUnsetSecret()
    {
        var variable = WorkspaceVariable.Create("var_1", "ws_1", "KEY", "v", secret: true, Now);
        AssertDomainError(VariableErrors.CannotUnsetSecret, () => variable.Update(null, null, secret: false, Now));
    }

    [Test]
    public void Update_ShouldKeepWhatIsOmitted_AndRaiseTheChange()
    {
        var variable = WorkspaceVariable.Create("var_1", "ws_1", "KEY", "v", secret: false, Now);
        variable.ClearDomainEvents();
        variable.Update("KEY2", null, null, Now.AddMinutes(1));
        Assert.Multiple(() =>
        {
            Assert.That((variable.Key, variable.Value, variable.Secret), Is.EqualTo(("KEY2", "v", false)));
            Assert.That(variable.UpdatedAt, Is.EqualTo(Now.AddMinutes(1)));
            Assert.That(AssertRaised<WorkspaceVariableChanged>(variable).WorkspaceId, Is.EqualTo("ws_1"));
        });
    }

    [Test]
    public void Delete_ShouldRaiseTheChange()
    {
        var variable = WorkspaceVariable.Create("var_1", "ws_1", "KEY", "v", false, Now);
        variable.ClearDomainEvents();
        variable.Delete(Now);
        Assert.That(AssertRaised<WorkspaceVariableChanged>(variable).VariableId, Is.EqualTo("var_1"));
    }
}
