using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.FunctionVersions;
using FunctionsPlatform.Application.FunctionVersions.Commands.CreateFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.SetDefaultFunctionVersion;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Handlers;

/// <summary>Set-up shared by the execution engine tests: an admin caller, functions with real node code, row access.</summary>
internal static class ExecutionTestKit
{
    /// <summary>Logs, and answers, everything the function sees: request fields, headers and the APPWRITE_* environment.</summary>
    public const string EchoCode = """
        module.exports = async (context) => {
          const r = context.req;
          const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('APPWRITE_')));
          const seen = { method: r.method, path: r.path, query: r.query, queryString: r.queryString, headers: r.headers,
            bodyText: r.bodyText, scheme: r.scheme, host: r.host, port: r.port, url: r.url, env, startedAt: Date.now() };
          context.log(JSON.stringify(seen));
          context.error('to stderr');
          return context.res.json(seen, 201, { 'x-echo': 'yes' });
        };
        """;

    public static async Task<HandlerTestHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Scheduling:Enabled"] = "false",
            ["Runtime:PrewarmOnActivate"] = "0",
            ["Runtime:ParkedLaunchers"] = "0",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var host = await HandlerTestHost.StartAsync(all);
        await using var scope = host.Services.CreateAsyncScope();
        host.Caller.UserId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Select(u => u.Id).FirstAsync();
        host.Caller.IsAdmin = true;
        host.Caller.Scopes = Scope.All;
        return host;
    }

    public static async Task<string> FunctionAsync(HandlerTestHost host, string code = EchoCode, FunctionSettings? settings = null)
    {
        var function = await host.SendAsync(new CreateFunctionCommand("default", "engine-" + Guid.NewGuid().ToString("N")[..8], null, null, null, null, null, null));
        var version = await host.SendAsync(new CreateFunctionVersionCommand(function.Id, "v2", null, null, [new VersionFileInput("index.js", code)]));
        await host.SendAsync(new SetDefaultFunctionVersionCommand(version.Id));
        if (settings is not null)
        {
            await ConfigureAsync(host, function.Id, settings);
        }

        return function.Id;
    }

    public static async Task ConfigureAsync(HandlerTestHost host, string functionId, FunctionSettings settings)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var function = await db.Functions.SingleAsync(f => f.Id == functionId);
        function.Reconfigure(function.Name, null, settings, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        // Saved past the unit of work, so no domain event evicts the function's cached snapshot (set-default cached it).
        scope.ServiceProvider.GetRequiredService<FunctionsPlatform.Application.Executions.FunctionSnapshotCache>().EvictFunction(functionId);
    }

    public static async Task<Function> ReadFunctionAsync(HandlerTestHost host, string functionId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Functions.IgnoreQueryFilters().AsNoTracking().SingleAsync(f => f.Id == functionId);
    }

    public static async Task<List<Execution>> ExecutionsOfAsync(HandlerTestHost host, string functionId)
    {
        // Records of synchronous runs are written behind their answers: wait for them, as the handlers' reads do.
        await host.Services.GetRequiredService<IExecutionJournal>().WhenWrittenAsync(CancellationToken.None);
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Executions.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.FunctionId == functionId).ToListAsync();
    }

    public static async Task<Execution?> ReadExecutionAsync(HandlerTestHost host, string executionId)
    {
        await host.Services.GetRequiredService<IExecutionJournal>().WhenWrittenAsync(CancellationToken.None);
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Executions.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(e => e.Id == executionId);
    }

    public static async Task AddExecutionAsync(HandlerTestHost host, Execution execution)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Executions.Add(execution);
        await db.SaveChangesAsync();
    }

    public static async Task<Execution> WaitFinishedAsync(HandlerTestHost host, string executionId, int timeoutMs = 20_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            var execution = await ReadExecutionAsync(host, executionId);
            if (execution is { IsFinished: true })
            {
                return execution;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"execution {executionId} did not finish within {timeoutMs} ms");
        return null!;
    }

    /// <summary>Starts the host's background services (async worker, scheduler when enabled); disposing stops them.</summary>
    public static async Task<IAsyncDisposable> StartBackgroundAsync(HandlerTestHost host)
    {
        var services = host.Services.GetServices<IHostedService>().ToList();
        foreach (var service in services)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new Background(services);
    }

    private sealed class Background(List<IHostedService> services) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var service in Enumerable.Reverse(services))
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }
}
