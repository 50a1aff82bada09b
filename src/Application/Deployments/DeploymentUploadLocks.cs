namespace FunctionsPlatform.Application.Deployments;

/// <summary>
/// Serialises on this instance the metadata updates of one upload (parts themselves are stored in parallel), and the saves
/// that change one function's deployment fields (<c>latestDeployment*</c>, the activation claim): each save changes the
/// function row, so parallel uploads to one function would otherwise keep losing the optimistic-concurrency race to each
/// other. Fixed sets of locks chosen by the id's hash, so memory stays bounded; take an upload's lock before a function's.
/// </summary>
public sealed class DeploymentUploadLocks
{
    private readonly SemaphoreSlim[] _uploads = Stripes();
    private readonly SemaphoreSlim[] _functions = Stripes();

    public Task<IDisposable> TakeAsync(string deploymentId, CancellationToken ct) => TakeAsync(_uploads, deploymentId, ct);

    public Task<IDisposable> TakeFunctionAsync(string functionId, CancellationToken ct) => TakeAsync(_functions, functionId, ct);

    private static SemaphoreSlim[] Stripes() => Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private static async Task<IDisposable> TakeAsync(SemaphoreSlim[] stripes, string id, CancellationToken ct)
    {
        var stripe = stripes[(StringComparer.Ordinal.GetHashCode(id) & int.MaxValue) % stripes.Length];
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
