using FunctionsPlatform.Application.Executions.Commands.InvokeFunction;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.FunctionVersions;
using FunctionsPlatform.Application.FunctionVersions.Commands.ReplaceFunctionVersionFiles;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Runtime.Bundles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>A version's code is put on disk when it is saved, so the first call finds its bundle there and writes nothing.</summary>
public sealed class PrepareCodeOnChangeTests
{
    private static async Task<HandlerTestHost> StartAsync()
    {
        // Pre-warming off: the bundle on disk must come from saving the code, not from a process started for it.
        var host = await HandlerTestHost.StartAsync(new Dictionary<string, string?> { ["Runtime:PrewarmOnActivate"] = "0" });
        await using var scope = host.Services.CreateAsyncScope();
        host.Caller.UserId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Select(u => u.Id).SingleAsync();
        host.Caller.IsAdmin = true;
        host.Caller.Scopes = Scope.All;
        return host;
    }

    private static string[] Bundles(HandlerTestHost host) =>
        Directory.GetDirectories(host.Services.GetRequiredService<BundleStore>().Root)
            .Where(d => !Path.GetFileName(d).StartsWith('.')).ToArray();

    [Test]
    public async Task ReplaceFiles_ShouldWriteTheBundleBeforeAnyCall_AndTheFirstCallShouldUseItAsItIs()
    {
        await using var host = await StartAsync();
        var function = await host.SendAsync(new CreateFunctionCommand("default", "prepared", null, null, null, null, null, null));
        var code = $"module.exports = async ({{ res }}) => res.json({{ marker: '{Guid.NewGuid():N}' }});";
        Assert.That(Bundles(host), Is.Empty, "precondition: a new function's first version has no files");

        await host.SendAsync(new ReplaceFunctionVersionFilesCommand(function.DefaultVersionId!, [new VersionFileInput("index.js", code)]));

        var bundle = Bundles(host).Single();
        Assert.That(await File.ReadAllTextAsync(Path.Combine(bundle, "index.js")), Is.EqualTo(code));
        var writtenAt = Directory.GetLastWriteTimeUtc(bundle);

        var answer = await host.SendAsync(new InvokeFunctionCommand(function.Id, null, null));

        Assert.That(answer.Ok, Is.True, answer.Error);
        Assert.That(answer.ColdStart, Is.True);
        Assert.That(Bundles(host), Is.EqualTo(new[] { bundle }), "the call wrote no other bundle");
        Assert.That(Directory.GetLastWriteTimeUtc(bundle), Is.EqualTo(writtenAt), "nor rewrote this one");
    }
}
