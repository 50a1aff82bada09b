using FunctionsPlatform.Application.Executions.Commands.InvokeFunction;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.FunctionVersions;
using FunctionsPlatform.Application.FunctionVersions.Commands.CreateFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.SetDefaultFunctionVersion;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>Setting a default version starts its warm process in the background (<c>Runtime:PrewarmOnActivate</c>).</summary>
public sealed class PrewarmOnDefaultVersionTests
{
    private const string Code = "module.exports = async ({ res }) => res.json({ pid: process.pid });";

    private static async Task<HandlerTestHost> StartAsync(string prewarm)
    {
        var host = await HandlerTestHost.StartAsync(new Dictionary<string, string?> { ["Runtime:PrewarmOnActivate"] = prewarm });
        await using var scope = host.Services.CreateAsyncScope();
        host.Caller.UserId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Select(u => u.Id).SingleAsync();
        host.Caller.IsAdmin = true;
        host.Caller.Scopes = Scope.All;
        return host;
    }

    private static async Task<string> NewDefaultVersionAsync(HandlerTestHost host)
    {
        var function = await host.SendAsync(new CreateFunctionCommand("default", "prewarmed", null, null, null, null, null, null));
        var version = await host.SendAsync(new CreateFunctionVersionCommand(function.Id, "v2", null, null, [new VersionFileInput("index.js", Code)]));
        await host.SendAsync(new SetDefaultFunctionVersionCommand(version.Id));
        return function.Id;
    }

    [Test]
    public async Task SetDefault_WhenPrewarmIsOn_ShouldStartAProcessThatTheFirstCallUses()
    {
        await using var host = await StartAsync("1");
        var executor = host.Services.GetRequiredService<ProcessRuntimeExecutor>();

        var functionId = await NewDefaultVersionAsync(host);

        for (var waited = 0; executor.LiveProcesses == 0 && waited < 100; waited++)
        {
            await Task.Delay(100);
        }

        Assert.That(executor.LiveProcesses, Is.EqualTo(1), "started without any call");
        var answer = await host.SendAsync(new InvokeFunctionCommand(functionId, null, null));
        Assert.That(answer.Ok, Is.True, answer.Error);
        Assert.That(executor.LiveProcesses, Is.EqualTo(1), "the call ran in the pre-warmed process, not a new one");
    }

    [Test]
    public async Task SetDefault_WhenAGenericProcessWaits_ShouldSpecializeIt_AndTheFirstCallAfterIsWarm()
    {
        await using var host = await StartAsync("1");
        var executor = host.Services.GetRequiredService<ProcessRuntimeExecutor>();
        Assume.That(executor.SpecializationEnabled, Is.True, "needs bubblewrap and writable cgroups");
        var node = host.Services.GetRequiredService<RuntimeCatalog>().Runtimes.First(r => r.Key == "node").Id;
        for (var waited = 0; executor.GenericProcessIds(node).Count == 0 && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        Assert.That(executor.GenericProcessIds(node), Is.Not.Empty, "precondition: a generic node process is waiting");
        var functionId = await NewDefaultVersionAsync(host);
        for (var waited = 0; executor.LiveProcesses == 0 && waited < 100; waited++)
        {
            await Task.Delay(100);
        }

        Assert.That(executor.Specializations, Is.EqualTo(1), "the pre-warm took the generic process rather than starting one");
        var answer = await host.SendAsync(new InvokeFunctionCommand(functionId, null, null));

        Assert.That(answer.Ok, Is.True, answer.Error);
        Assert.That(answer.ColdStart, Is.False, "the first call after activation is warm");
        Assert.That(executor.LiveProcesses, Is.EqualTo(1));
    }

    [Test]
    public async Task SetDefault_WhenPrewarmIsOff_ShouldStartNothing()
    {
        await using var host = await StartAsync("0");
        var executor = host.Services.GetRequiredService<ProcessRuntimeExecutor>();

        await NewDefaultVersionAsync(host);
        await Task.Delay(1500);

        Assert.That(executor.LiveProcesses, Is.Zero);
    }
}
