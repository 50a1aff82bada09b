using System.Reflection;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Executions.Commands.InvokeFunction;
using FunctionsPlatform.Application.Abstractions.Messaging;

namespace FunctionsPlatform.Application.UnitTests.Executions;

public sealed class InvokeFunctionAuthorizationTests
{
    [Test]
    public void InvokeFunctionCommand_ShouldRequireExecutionsWrite() =>
        Assert.That(typeof(InvokeFunctionCommand).GetCustomAttribute<RequiresScopeAttribute>()?.Scope, Is.EqualTo("executions.write"));

    [Test]
    public void InvokeFunctionCommand_ShouldStayOutOfTheRetryingUnitOfWork() =>
        Assert.That(typeof(InvokeFunctionCommand).GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)), Is.False,
            "a retried transaction would run user code twice");
}
