using System.Collections.Concurrent;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Executions.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Infrastructure.Runtime.AsyncExecutions;

/// <summary>
/// Polls the executions table for due rows, claims each with a short lease, renews the lease while the code runs and
/// records the outcome. A crash leaves a lease that expires, and the next poll (here or on another instance) takes the
/// row again: that is the recovery at start-up too. An execution queued on this instance wakes the loop at once
/// (<see cref="ExecutionQueueSignal"/>); the poll remains for rows of other instances, due scheduled rows and expired leases.
/// </summary>
internal sealed class AsyncExecutionWorker(
    IServiceScopeFactory scopes, IOptions<RuntimeOptions> options, ExecutionQueueSignal signal, TimeProvider clock, ILogger<AsyncExecutionWorker> logger)
    : BackgroundService
{
    private readonly string _owner = OwnerName();
    private readonly RuntimeOptions _options = options.Value;

    /// <summary>
    /// Executions this worker is running. A row can reach the loop twice (its hint and a poll that found it first, or
    /// a scheduled row's timer and the poll), and a claim by the lease's own owner succeeds: without this the second
    /// would start a second run of the same execution.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);

    /// <summary>This instance's lease owner name.</summary>
    public string Owner => _owner;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_options.AsyncWorkers, _options.AsyncWorkers);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                running.RemoveAll(t => t.IsCompleted);
                var free = slots.CurrentCount;
                if (free > 0)
                {
                    // Executions this instance just queued are claimed by id, without a search; rows of other instances,
                    // due scheduled rows and expired leases wait for the poll.
                    var hinted = signal.TakeHints(free);
                    foreach (var id in hinted.Count > 0 ? hinted : await FindDueAsync(free, stoppingToken))
                    {
                        if (!_running.TryAdd(id, 0))
                        {
                            continue;
                        }

                        if (!await TryClaimAsync(id, stoppingToken))
                        {
                            _running.TryRemove(id, out _);
                            continue;
                        }

                        await slots.WaitAsync(stoppingToken);
                        running.Add(RunAsync(id, slots, stoppingToken));
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Async execution poll failed");
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromMilliseconds(_options.AsyncPollIntervalMs), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task<IReadOnlyList<string>> FindDueAsync(int max, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IExecutionLeases>().FindDueAsync(clock.GetUtcNow(), max, ct);
    }

    private async Task<bool> TryClaimAsync(string id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IExecutionLeases>().TryClaimAsync(id, _owner, clock.GetUtcNow(), Lease, ct);
    }

    /// <summary>Unique per process start, so a restarted instance never mistakes an old lease for its own.</summary>
    private static string OwnerName()
    {
        var name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return name.Length <= 128 ? name : name[^128..];
    }

    private TimeSpan Lease => TimeSpan.FromSeconds(_options.LeaseSeconds);

    private async Task RunAsync(string id, SemaphoreSlim slots, CancellationToken ct)
    {
        await Task.Yield();
        using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewing = RenewWhileRunningAsync(id, heartbeat.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IQueuedExecutionRunner>().RunAsync(id, _owner, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease expires and another poll retries; MaxAttempts stops a poison execution.
            logger.LogError(ex, "Async execution {ExecutionId} failed to run", id);
        }
        finally
        {
            await heartbeat.CancelAsync();
            await renewing.ContinueWith(_ => { }, TaskScheduler.Default);
            _running.TryRemove(id, out _);
            slots.Release();
            signal.Notify(); // a slot is free: look for the next waiting row now, not at the next poll
        }
    }

    private async Task RenewWhileRunningAsync(string id, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(Lease / 3, ct);
            await using var scope = scopes.CreateAsyncScope();
            if (!await scope.ServiceProvider.GetRequiredService<IExecutionLeases>().RenewAsync(id, _owner, clock.GetUtcNow() + Lease, ct))
            {
                return;
            }
        }
    }
}
