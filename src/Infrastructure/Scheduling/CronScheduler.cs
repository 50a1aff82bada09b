using FunctionsPlatform.Application.Abstractions.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Infrastructure.Scheduling;

/// <summary>
/// Fires functions' cron schedules: each pass claims every due tick (<see cref="FunctionScheduleTicks"/>) and wakes the
/// asynchronous worker for what it inserted. Passes run just after each multiple of the poll interval, so a
/// whole-minute tick fires a few milliseconds after its minute.
/// </summary>
internal sealed class CronScheduler(
    IServiceScopeFactory scopes, IExecutionQueueSignal signal, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<CronScheduler> logger)
    : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan AfterBoundary = TimeSpan.FromMilliseconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(50, options.Value.PollIntervalMs));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Schedule pass failed");
            }

            try
            {
                await Task.Delay(UntilNextBoundary(clock.GetUtcNow(), interval), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass at <paramref name="now"/>: claims every due tick, in batches. Returns the executions it fired.</summary>
    public async Task<IReadOnlyList<string>> RunPassAsync(DateTimeOffset now, CancellationToken ct)
    {
        var fired = new List<string>();
        while (true)
        {
            IReadOnlyList<string> due;
            await using (var scope = scopes.CreateAsyncScope())
            {
                due = await scope.ServiceProvider.GetRequiredService<FunctionScheduleTicks>().FindDueAsync(now, BatchSize, ct);
            }

            var progressed = false;
            foreach (var functionId in due)
            {
                await using var scope = scopes.CreateAsyncScope();
                var (outcome, executionId) = await scope.ServiceProvider.GetRequiredService<FunctionScheduleTicks>().TryFireAsync(functionId, now, ct);
                progressed |= outcome != ScheduleTickOutcome.None;
                if (executionId is not null)
                {
                    fired.Add(executionId);
                    signal.Queued(executionId);
                }
            }

            // A full batch may hide more due functions; stop when a batch changed nothing (others claimed it, or invalid).
            if (due.Count < BatchSize || !progressed)
            {
                return fired;
            }
        }
    }

    internal static TimeSpan UntilNextBoundary(DateTimeOffset now, TimeSpan interval)
    {
        var ticks = now.UtcTicks;
        var next = ticks - (ticks % interval.Ticks) + interval.Ticks;
        return TimeSpan.FromTicks(next - ticks) + AfterBoundary;
    }
}
