using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>
/// Records a chunk's progress on its deployment row with one conditional UPDATE, no read and no transaction: parallel
/// chunks of one upload never conflict, since the count only grows (the row keeps the highest count any chunk saw).
/// </summary>
public interface IDeploymentChunkProgress
{
    /// <summary>Saves <see cref="Deployment.ChunksUploaded"/> of <paramref name="deployment"/> (changed by <c>PartsStored</c>) unless the row holds as many already or its upload completed.</summary>
    Task RecordAsync(Deployment deployment, CancellationToken ct);
}
