using System.Diagnostics;
using System.Globalization;
using System.Text;
using FunctionsPlatform.Application;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Executions.Commands.CreateExecution;
using FunctionsPlatform.Application.Functions.Commands.CreateFunction;
using FunctionsPlatform.Application.FunctionVersions;
using FunctionsPlatform.Application.FunctionVersions.Commands.CreateFunctionVersion;
using FunctionsPlatform.Application.FunctionVersions.Commands.SetDefaultFunctionVersion;
using FunctionsPlatform.Domain.Identity;
using FunctionsPlatform.Infrastructure;
using FunctionsPlatform.Infrastructure.Bootstrap;
using FunctionsPlatform.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Benchmarks;

/// <summary>
/// Enqueue → start of an asynchronous execution on an idle server: <c>CreateExecutionCommand { async = true }</c>
/// through the real pipeline (validation, SQLite commit), then the time until the function's first line runs (a
/// wall-clock marker the node code logs, read back from the execution record). Compared in the same run with the same
/// server whose wake-up signal is replaced by a no-op (the poll alone, <c>Runtime:AsyncPollIntervalMs</c> = 500), and
/// with the start of a synchronous execution measured the same way (the floor: no queue at all).
/// Usage: <c>dotnet run -c Release --project bench/Benchmarks -- asyncstart [--quick]</c>.
/// </summary>
public static class AsyncStartBench
{
    private const string Code = "module.exports = async ({ res, log }) => { log(String(performance.timeOrigin + performance.now())); return res.empty(); };";

    public static async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; one sequential client, warm node process.");
        report.AppendLine();
        report.AppendLine("| path | samples | p50 µs | p90 µs | p99 µs | p50 vs poll only |");
        report.AppendLine("|---|---|---|---|---|---|");

        var woken = await MeasureAsync(wake: true, samples: quick ? 60 : 400);
        var polled = await MeasureAsync(wake: false, samples: quick ? 10 : 40);
        var pollP50 = Percentile(polled.Async, 50);
        Row(report, "sync: command sent → function starts (floor)", woken.Sync, pollP50);
        Row(report, "async, woken: answer (202) → function starts", woken.Async, pollP50);
        Row(report, "async, woken: command sent → function starts", woken.AsyncFromSend, pollP50);
        Row(report, "async, poll only (500 ms): answer → function starts", polled.Async, pollP50);
        Console.WriteLine(report);
    }

    private static void Row(StringBuilder report, string name, List<double> micros, double baselineP50) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {micros.Count} | {Percentile(micros, 50):0} | {Percentile(micros, 90):0} | {Percentile(micros, 99):0} | {Percentile(micros, 50) / baselineP50:0.000}× |");

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static double NowUnixMs() => (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerMillisecond;

    private static async Task<(List<double> Async, List<double> AsyncFromSend, List<double> Sync)> MeasureAsync(bool wake, int samples)
    {
        var data = Directory.CreateTempSubdirectory("fp-asyncstart-bench-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = data,
            ["Bootstrap:AdminKey"] = "bench_asyncstart_admin_key_0123456789",
            ["Scheduling:Enabled"] = "false",
            ["Runtime:AsyncPollIntervalMs"] = "500",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddConsole());
        services.AddSingleton<IConfiguration>(configuration);
        services.AddApplication();
        services.AddInfrastructure(configuration);
        var principal = new BenchPrincipal();
        services.AddSingleton<ICurrentPrincipal>(principal);
        if (!wake)
        {
            services.Replace(ServiceDescriptor.Singleton<IExecutionQueueSignal, NoWakeUp>());
        }

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

        async Task<double> StartMarkerAsync(string executionId)
        {
            while (true)
            {
                await using var scope = root.CreateAsyncScope();
                var row = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Executions.AsNoTracking()
                    .Where(e => e.Id == executionId).Select(e => new { e.Status, e.Logs, e.Errors }).SingleAsync();
                if (row.Status is Domain.Executions.ExecutionStatus.Completed or Domain.Executions.ExecutionStatus.Failed)
                {
                    return double.TryParse(row.Logs.Trim(), CultureInfo.InvariantCulture, out var marker)
                        ? marker
                        : throw new InvalidOperationException($"execution {executionId} left no marker: {row.Errors}");
                }

                await Task.Delay(1);
            }
        }

        try
        {
            var function = await Send(new CreateFunctionCommand("default", "asyncstart", null, null, null, null, null, null));
            var version = await Send(new CreateFunctionVersionCommand(function.Id, "v2", null, null, [new VersionFileInput("index.js", Code)]));
            await Send(new SetDefaultFunctionVersionCommand(version.Id));

            var sync = new List<double>();
            var fromAnswer = new List<double>();
            var fromSend = new List<double>();
            var warmUp = wake ? 100 : 3;
            for (var i = 0; i < warmUp + samples; i++)
            {
                var sent = NowUnixMs();
                var run = await Send(new CreateExecutionCommand(function.Id));
                var syncStart = double.Parse(run.Logs.Trim(), CultureInfo.InvariantCulture);

                // Idle server: the previous execution is finished and the worker is asleep on its signal (or its poll).
                await Task.Delay(wake ? 20 : Random.Shared.Next(0, 500));
                var asyncSent = NowUnixMs();
                var queued = await Send(new CreateExecutionCommand(function.Id, Async: true));
                var answered = NowUnixMs();
                var started = await StartMarkerAsync(queued.Id);
                if (i >= warmUp)
                {
                    sync.Add((syncStart - sent) * 1000);
                    fromAnswer.Add((started - answered) * 1000);
                    fromSend.Add((started - asyncSent) * 1000);
                }
            }

            return (fromAnswer, fromSend, sync);
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

    private sealed class NoWakeUp : IExecutionQueueSignal
    {
        public void Notify()
        {
        }

        public void Queued(string executionId)
        {
        }

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
