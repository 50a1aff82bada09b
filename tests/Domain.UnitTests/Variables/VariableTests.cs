using FunctionsPlatform.Domain.Variables;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Variables;

public sealed class VariableTests
{
    [Test]
    public void Update_WhenSecretUnset_ShouldThrowCannotUnsetSecret()
    {
        var variable = Variable.Create("var_1", "fun_1", "KEY", "v", secret: true, Now);
        AssertDomainError(VariableErrors.CannotUnsetSecret, () => variable.Update(null, null, secret: false, Now));
    }

    [Test]
    public void Update_WhenMadeSecret_ShouldBeSecret()
    {
        var variable = Variable.Create("var_1", "fun_1", "KEY", "v", secret: false, Now);
        variable.Update(null, "w", secret: true, Now);
        Assert.That(variable.Secret, Is.True);
        Assert.That(variable.Value, Is.EqualTo("w"));
    }

    [Test]
    public void Create_WhenEmptyValue_ShouldSucceed() =>
        Assert.That(Variable.Create("var_1", "fun_1", "KEY", "", false, Now).Value, Is.Empty);

    [Test]
    public void Create_WhenKeyEmpty_ShouldThrowKeyInvalid() =>
        AssertDomainError(VariableErrors.KeyInvalid, () => Variable.Create("var_1", "fun_1", "", "v", false, Now));

    [Test]
    public void Create_WhenValueTooLong_ShouldThrowValueInvalid() =>
        AssertDomainError(VariableErrors.ValueInvalid, () => Variable.Create("var_1", "fun_1", "K", new string('v', Variable.ValueMaxLength + 1), false, Now));

    [Test]
    public void Create_ShouldRaiseVariableChangedForItsFunction()
    {
        var variable = Variable.Create("var_1", "fun_1", "KEY", "v", false, Now);
        var raised = AssertRaised<VariableChanged>(variable);
        Assert.That((raised.VariableId, raised.FunctionId), Is.EqualTo(("var_1", "fun_1")));
    }

    [Test]
    public void Update_ShouldRaiseVariableChanged()
    {
        var variable = Variable.Create("var_1", "fun_1", "KEY", "v", false, Now);
        variable.ClearDomainEvents();
        variable.Update("KEY2", null, null, Now);
        Assert.That(AssertRaised<VariableChanged>(variable).FunctionId, Is.EqualTo("fun_1"));
    }

    [Test]
    public void Delete_ShouldRaiseVariableChanged()
    {
        var variable = Variable.Create("var_1", "fun_1", "KEY", "v", false, Now);
        variable.ClearDomainEvents();
        variable.Delete(Now);
        Assert.That(AssertRaised<VariableChanged>(variable).VariableId, Is.EqualTo("var_1"));
    }
}
