using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Application.Deployments.Building;
using FunctionsPlatform.Application.Deployments.Commands.CreateDeployment;
using FunctionsPlatform.Application.Deployments.Queries.GetDeployment;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Deployments;

/// <summary>The handler host with an admin caller, and the steps deployment tests repeat.</summary>
internal static class DeploymentTestHost
{
    public const string TestOwner = "test-worker";

    public static async Task<HandlerTestHost> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var host = await HandlerTestHost.StartAsync(settings, configure);
        await using var scope = host.Services.CreateAsyncScope();
        host.Caller.UserId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Select(u => u.Id).SingleAsync();
        host.Caller.IsAdmin = true;
        host.Caller.Scopes = Scope.All;
        return host;
    }

    public static async Task<string> CreateFunctionAsync(this HandlerTestHost host, string name = "deployed", string? entrypoint = "index.js") =>
        (await host.SendAsync(new CreateFunctionCommand("default", name, null, null, null, null, null, entrypoint))).Id;

    public static Task<DeploymentDto> UploadAsync(this HandlerTestHost host, string functionId, byte[] archive, bool activate = true, string? commands = null) =>
        host.SendAsync(new CreateDeploymentCommand(functionId, Body(archive, activate, commands)));

    public static Task<DeploymentDto> ChunkAsync(this HandlerTestHost host, string functionId, byte[] data, long start, long end, string? uploadId, long? total = null, bool activate = false) =>
        host.SendAsync(new CreateDeploymentCommand(functionId, Body(data[(int)start..(int)Math.Min(data.Length, end + 1)], activate),
            ContentRange: $"bytes {start}-{end}/{total ?? data.Length}", UploadId: uploadId));

    /// <summary>An upload body whose fields are known up front, as internal callers send it.</summary>
    public static DeploymentUploadBody Body(byte[] code, bool activate = false, string? commands = null, string fileName = "code.tar.gz", string? entrypoint = null) =>
        new(new MemoryStream(code), fileName, new DeploymentUploadFields(activate, entrypoint, commands));

    /// <summary>Claims the build as a worker would and runs it to its end.</summary>
    public static async Task<DeploymentDto> BuildAsync(this HandlerTestHost host, string deploymentId, string owner = TestOwner)
    {
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var claimed = await scope.ServiceProvider.GetRequiredService<IDeploymentBuildLeases>()
                .TryClaimAsync(deploymentId, owner, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.That(claimed, Is.True, "the build could be claimed");
        }

        await host.Services.GetRequiredService<IDeploymentBuildRunner>().BuildAsync(deploymentId, owner, CancellationToken.None);
        return await host.ReadAsync(deploymentId);
    }

    public static async Task<DeploymentDto> ReadAsync(this HandlerTestHost host, string deploymentId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var deployment = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId);
        return DeploymentDto.From(deployment);
    }

    public static async Task<Deployment> RowAsync(this HandlerTestHost host, string deploymentId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Deployments.AsNoTracking().SingleAsync(d => d.Id == deploymentId);
    }

    public static async Task<Function> FunctionAsync(this HandlerTestHost host, string functionId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Functions.IgnoreQueryFilters().AsNoTracking().SingleAsync(f => f.Id == functionId);
    }

    public static Task<DeploymentDto> GetAsync(this HandlerTestHost host, string functionId, string deploymentId) =>
        host.SendAsync(new GetDeploymentQuery(functionId, deploymentId));
}
