namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>
/// The durable queue of builds: deployment rows claimed with a lease by one conditional UPDATE, so two workers (or two
/// server instances) never build one deployment at once, and a build whose worker died is taken again once its lease expired.
/// </summary>
public interface IDeploymentBuildLeases
{
    /// <summary>Deployments ready to build: queued, or building under an expired lease; oldest first.</summary>
    Task<IReadOnlyList<string>> FindDueAsync(DateTimeOffset now, int max, CancellationToken ct);

    /// <summary>Takes the lease through <c>Deployment.ClaimBuild</c>; false when another worker won or nothing is to be built.</summary>
    Task<bool> TryClaimAsync(string deploymentId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct);

    /// <summary>Extends the lease and writes the build log so far (readable while the build runs); false when the lease was lost or the build canceled.</summary>
    Task<bool> HeartbeatAsync(string deploymentId, string owner, DateTimeOffset expiresAt, string? logs, CancellationToken ct);
}
