using System.Data.Common;
using Polly;
using Polly.Retry;

namespace FunctionsPlatform.Infrastructure.Resilience;

/// <summary>One pipeline per I/O port, built once. Each names what it retries; user code is never retried.</summary>
public sealed class ResiliencePipelineProvider
{
    /// <summary>Blob storage: transient file-system errors (a file briefly locked, a racing directory create).</summary>
    public ResiliencePipeline Storage { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<UnauthorizedAccessException>(),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(20),
            BackoffType = DelayBackoffType.Exponential,
        })
        .AddTimeout(TimeSpan.FromSeconds(30))
        .Build();

    /// <summary>
    /// Writes outside EF's execution strategy (the execution journal): errors the provider marks transient (SQL Server
    /// failover and throttling, SQLite busy or locked beyond the busy timeout). Constraint violations are not retried.
    /// </summary>
    public ResiliencePipeline Database { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<DbException>(ex => ex.IsTransient).Handle<TimeoutException>(),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(50),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();
}
