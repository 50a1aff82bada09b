namespace FunctionsPlatform.Infrastructure.Runtime.Pooling;

/// <param name="MinIdlePerFunction">Idle processes a function may always keep, whatever its recent load.</param>
/// <param name="MaxProcesses">Live processes at most; idle ones are killed (oldest first) to make room.</param>
/// <param name="MemoryBudgetMb">What live processes may use together; idle ones are killed (oldest first) past it.</param>
/// <param name="IdleTimeout">How long an unused process stays, and the window over which peak concurrency is remembered.</param>
/// <param name="Queueing">When requests of a fast function queue behind busy processes instead of waking more; null = never.</param>
internal sealed record WarmPoolLimits(int MinIdlePerFunction, int MaxProcesses, int MemoryBudgetMb, TimeSpan IdleTimeout, QueueingLimits? Queueing = null);

/// <summary>
/// Requests of a function whose processes serve one at a time queue behind its busy processes (at most
/// <paramref name="Depth"/> per process, the one running included) once <paramref name="HotProcesses"/> of them are busy
/// and its requests are fast: their recent mean run time is at most <paramref name="FastRequest"/> (queueing stops past
/// twice that). More processes than the cores can run only add context switches and cold caches; a slow or waiting request
/// would hold up the ones behind it, so slow functions get a process per request as before.
/// </summary>
internal sealed record QueueingLimits(int HotProcesses, int Depth, TimeSpan FastRequest);
