namespace FunctionsPlatform.Application.Deployments;

/// <summary>
/// Serialises the metadata updates of one upload on this instance (parts themselves are stored in parallel): a fixed set
/// of locks chosen by the deployment id's hash, so memory stays bounded however many uploads there are.
/// </summary>
public sealed class DeploymentUploadLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> TakeAsync(string deploymentId, CancellationToken ct)
    {
        var stripe = _stripes[(StringComparer.Ordinal.GetHashCode(deploymentId) & int.MaxValue) % _stripes.Length];
        await stripe.WaitAsync(ct);
        return new Release(stripe);
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
