using System.Reflection;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Executions.Commands.InvokeFunction;

namespace FunctionsPlatform.Application.UnitTests.Executions;

public sealed class InvokeFunctionAuthorizationTests
{
    [Test]
    public void InvokeFunctionCommand_ShouldRequireExecutionsWrite() =>
        Assert.That(typeof(InvokeFunctionCommand).GetCustomAttribute<RequiresScopeAttribute>()?.Scope, Is.EqualTo("executions.write"));
}
