namespace FunctionsPlatform.Application.Abstractions.Persistence;

/// <summary>
/// The durable queue of asynchronous executions. A claim is one atomic conditional UPDATE on the lease columns, so
/// two workers (or two server instances) never both win the same execution; expired leases are claimable again.
/// </summary>
public interface IExecutionLeases
{
    /// <summary>Ids of executions ready to run: waiting, scheduled and due, or processing with an expired lease.</summary>
    Task<IReadOnlyList<string>> FindDueAsync(DateTimeOffset now, int max, CancellationToken ct);

    /// <summary>Takes the lease through <c>Execution.Claim</c>; false when another worker holds it or it already finished.</summary>
    Task<bool> TryClaimAsync(string executionId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct);

    /// <summary>Extends a lease this owner holds (heartbeat while the code runs); false when it was lost.</summary>
    Task<bool> RenewAsync(string executionId, string owner, DateTimeOffset expiresAt, CancellationToken ct);

    /// <summary>
    /// Deletes a <c>scheduled</c> execution no worker has claimed yet (one conditional DELETE); false when it is no longer
    /// scheduled (claimed meanwhile) or gone.
    /// </summary>
    Task<bool> TryCancelScheduledAsync(string executionId, CancellationToken ct);
}
