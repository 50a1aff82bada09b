using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Application.Deployments.Building;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Takes queued builds from the deployments table, at most <see cref="BuildSettings.MaxConcurrent"/> at a time, each under
/// a lease the build renews while it runs. Woken at once by a deployment queued on this instance, else it polls: a row
/// queued elsewhere, or left by a worker that died (its lease expired), is found at the next poll. That is the recovery
/// at start-up too. Also removes deployments past their function's retention, now and then.
/// </summary>
internal sealed class DeploymentBuildWorker(
    IServiceScopeFactory scopes,
    IDeploymentBuildRunner runner,
    BuildQueueSignal signal,
    BuildSettings settings,
    TimeProvider clock,
    ILogger<DeploymentBuildWorker> logger) : BackgroundService
{
    private readonly string _owner = OwnerName();
    private DateTimeOffset _nextRetentionSweep = DateTimeOffset.MinValue;

    /// <summary>This instance's lease owner name: unique per process start, so a restart never mistakes an old lease for its own.</summary>
    public string Owner => _owner;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(settings.MaxConcurrent, settings.MaxConcurrent);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                running.RemoveAll(t => t.IsCompleted);
                await ClaimDueAsync(slots, running, stoppingToken);
                await SweepRetentionAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Build queue poll failed");
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromMilliseconds(settings.PollIntervalMs), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ClaimDueAsync(SemaphoreSlim slots, List<Task> running, CancellationToken ct)
    {
        var free = slots.CurrentCount;
        if (free == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var leases = scope.ServiceProvider.GetRequiredService<IDeploymentBuildLeases>();
        foreach (var id in await leases.FindDueAsync(clock.GetUtcNow(), free, ct))
        {
            if (!await leases.TryClaimAsync(id, _owner, clock.GetUtcNow(), TimeSpan.FromSeconds(settings.LeaseSeconds), ct))
            {
                continue;
            }

            await slots.WaitAsync(ct);
            running.Add(BuildAsync(id, slots, ct));
        }
    }

    private async Task BuildAsync(string id, SemaphoreSlim slots, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await runner.BuildAsync(id, _owner, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease expires and a later poll retries; the attempt count stops a build that keeps failing so.
            logger.LogError(ex, "Build of deployment {DeploymentId} failed to run", id);
        }
        finally
        {
            slots.Release();
            signal.Announce(); // a slot is free: look for the next queued build now
        }
    }

    private async Task SweepRetentionAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now < _nextRetentionSweep)
        {
            return;
        }

        _nextRetentionSweep = now + TimeSpan.FromMinutes(settings.RetentionSweepMinutes);
        await using var scope = scopes.CreateAsyncScope();
        var removed = await scope.ServiceProvider.GetRequiredService<IDeploymentRetention>().SweepAsync(500, ct);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} deployments past their function's retention", removed);
        }
    }

    private static string OwnerName()
    {
        var name = $"build:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return name.Length <= 128 ? name : name[^128..];
    }
}
