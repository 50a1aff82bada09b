using System.Diagnostics;
using System.Globalization;
using System.Text;
using FunctionsPlatform.Application;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Executions.Commands.CreateExecution;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.Functions.Commands.ReconfigureFunction;
using FunctionsPlatform.Application.FunctionVersions;
using FunctionsPlatform.Application.FunctionVersions.Commands.CreateFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.SetDefaultFunctionVersion;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure;
using FunctionsPlatform.Infrastructure.Bootstrap;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Runtime.AsyncExecutions;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// How late scheduled work starts, with the default poll settings (<c>Runtime:AsyncPollIntervalMs</c> 500,
/// <c>Scheduling:PollIntervalMs</c> 1000): (1) executions created with <c>scheduledAt</c> 2–4 s ahead, staggered so they
/// do not pile up: lag = the function's first line (a wall-clock marker it logs) − <c>scheduledAt</c>; (2) cron ticks of
/// a function scheduled <c>* * * * *</c>: lag = the marker − the minute it fired for. An in-process server (real
/// pipeline, SQLite, background worker and scheduler, node), one warm function. The goal: start within 1 s.
/// Baseline in the same run: the scheduledAt runs on a server whose scheduled-time timers are off (poll only).
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- schedulelag [--quick]</c> (quick: 10 scheduledAt runs per server, 1 cron tick; else 40 and 3).
/// </summary>
public static class ScheduleLagBench
{
    private const string Code = "module.exports = async ({ res, log }) => { log(String(performance.timeOrigin + performance.now())); return res.empty(); };";

    public static async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var scheduled = quick ? 10 : 40;
        var ticks = quick ? 1 : 3;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; default poll intervals.");
        report.AppendLine();
        report.AppendLine("| what | runs | p50 ms | p90 ms | max ms | within 1 s |");
        report.AppendLine("|---|---|---|---|---|---|");
        try
        {
            // Baseline in the same run: the same server with the scheduled-time timers off (the worker's poll finds the row).
            await MeasureAsync(report, scheduled, 0, timers: false);
            await MeasureAsync(report, scheduled, ticks, timers: true);
        }
        finally
        {
            Console.WriteLine(report);
        }
    }

    private static async Task MeasureAsync(StringBuilder report, int scheduled, int ticks, bool timers)
    {
        var data = Directory.CreateTempSubdirectory("fp-schedulelag-bench-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data,
            ["Bootstrap:AdminKey"] = "bench_schedulelag_admin_key_0123456789",
            // Below 60 s the whole-minute rule for scheduledAt is dropped, so runs can be a few seconds ahead.
            ["Scheduling:ScheduledExecutionMinimumLeadSeconds"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
        services.AddSingleton<IConfiguration>(configuration);
        services.AddApplication();
        services.AddInfrastructure(configuration);
        if (!timers)
        {
            services.Replace(ServiceDescriptor.Singleton<IExecutionQueueSignal>(sp => new NoScheduledTimers(sp.GetRequiredService<ExecutionQueueSignal>())));
        }

        var principal = new BenchPrincipal();
        services.AddSingleton<ICurrentPrincipal>(principal);
        await using var root = services.BuildServiceProvider();
        await root.InitializeDatabaseAsync();
        await using (var scope = root.CreateAsyncScope())
        {
            principal.UserId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Select(u => u.Id).FirstAsync();
        }

        var hosted = root.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        async Task<T> Send<T>(IRequest<T> request)
        {
            await using var scope = root.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
        }

        async Task<List<(DateTimeOffset? ScheduledAt, double Marker)>> FinishedAsync(string functionId, int count, TimeSpan within)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                await using var scope = root.CreateAsyncScope();
                var rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Executions.AsNoTracking()
                    .Where(e => e.FunctionId == functionId && e.Trigger == ExecutionTrigger.Schedule
                        && (e.Status == ExecutionStatus.Completed || e.Status == ExecutionStatus.Failed))
                    .Select(e => new { e.ScheduledAt, e.Logs, e.Errors }).ToListAsync();
                if (rows.Count >= count)
                {
                    return [.. rows.Select(r => (r.ScheduledAt, double.TryParse(r.Logs.Trim(), CultureInfo.InvariantCulture, out var marker)
                        ? marker : throw new InvalidOperationException("a scheduled run left no marker: " + r.Errors)))];
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"{rows.Count} of {count} scheduled runs finished in {within.TotalSeconds} s.");
                }

                await Task.Delay(100);
            }
        }

        try
        {
            async Task<string> FunctionAsync(string name)
            {
                var function = await Send(new CreateFunctionCommand("default", name, null, null, null, null, null, null));
                var version = await Send(new CreateFunctionVersionCommand(function.Id, "v2", null, null, [new VersionFileInput("index.js", Code)]));
                await Send(new SetDefaultFunctionVersionCommand(version.Id));
                await Send(new CreateExecutionCommand(function.Id)); // warm
                return function.Id;
            }

            var at = await FunctionAsync("scheduled-at");
            for (var i = 0; i < scheduled; i++)
            {
                // 2 s ahead plus a phase that walks across the poll intervals (173 ms steps, not a multiple of either).
                await Send(new CreateExecutionCommand(at, Async: true, ScheduledAt: DateTimeOffset.UtcNow.AddSeconds(2).AddMilliseconds(i * 173 % 1000)));
            }

            var atRuns = await FinishedAsync(at, scheduled, TimeSpan.FromSeconds(60 + scheduled));
            Row(report, $"`scheduledAt` run: first line − scheduledAt, {(timers ? "**timer at its time**" : "poll only (baseline)")}",
                [.. atRuns.Select(r => r.Marker - r.ScheduledAt!.Value.ToUnixTimeMilliseconds())]);
            if (ticks == 0)
            {
                return;
            }

            var cron = await FunctionAsync("cron");
            await Send(new ReconfigureFunctionCommand("default", cron, "cron", null, new FunctionSettingsInput { Schedule = "* * * * *" }));
            // The first pass sets scheduleNext without firing; ticks fire from the next whole minute on.
            var cronRuns = await FinishedAsync(cron, ticks, TimeSpan.FromSeconds(70 + ticks * 60));
            Row(report, "cron tick (`* * * * *`): first line − the minute", [.. cronRuns.Select(r => r.Marker % 60_000)]);
        }
        finally
        {
            foreach (var service in Enumerable.Reverse(hosted))
            {
                await service.StopAsync(CancellationToken.None);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static void Row(StringBuilder report, string name, List<double> lagMs)
    {
        var sorted = lagMs.Order().ToList();
        double At(double p) => sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {sorted.Count} | {At(50):0} | {At(90):0} | {sorted[^1]:0} | {sorted.Count(l => l <= 1000)}/{sorted.Count} |");
    }

    /// <summary>The wake-ups of queued executions as in production; the timers of scheduled ones never armed.</summary>
    private sealed class NoScheduledTimers(ExecutionQueueSignal signal) : IExecutionQueueSignal
    {
        public void Notify() => signal.Notify();

        public void Queued(string executionId) => signal.Queued(executionId);

        public void QueuedFor(string executionId, DateTimeOffset dueAt)
        {
        }
    }

    private sealed class BenchPrincipal : ICurrentPrincipal
    {
        public bool IsAuthenticated => true;
        public string UserId { get; set; } = "";
        public bool IsAdmin => true;
        public string? ApiKeyId => null;
        public string? KeyWorkspaceId => null;
        public IReadOnlySet<string> Scopes => Scope.All;
        public bool HasScope(string scope) => true;
    }
}
