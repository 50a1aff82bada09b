namespace FunctionsPlatform.Infrastructure.Runtime.Pooling;

/// <param name="MinIdlePerFunction">Idle processes a function may always keep, whatever its recent load.</param>
/// <param name="MaxProcesses">Live processes at most; idle ones are killed (oldest first) to make room.</param>
/// <param name="MemoryBudgetMb">What live processes may use together; idle ones are killed (oldest first) past it.</param>
/// <param name="IdleTimeout">How long an unused process stays, and the window over which peak concurrency is remembered.</param>
internal sealed record WarmPoolLimits(int MinIdlePerFunction, int MaxProcesses, int MemoryBudgetMb, TimeSpan IdleTimeout);
