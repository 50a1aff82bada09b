namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>How many distinct parts of an upload are stored, and whether they cover the whole archive.</summary>
public sealed record UploadProgress(int DistinctParts, bool Complete);

/// <summary>
/// The parts of chunked deployment uploads, each written once, straight from the request at its offset in the archive
/// (memory does not grow with the archive), then moved into blob storage when every byte range is there. Parts of one
/// upload may be written concurrently and out of order.
/// </summary>
public interface IDeploymentUploads
{
    /// <summary>
    /// Reserves the range and writes exactly its <see cref="ContentRange.Length"/> bytes of <paramref name="content"/>
    /// (bytes beyond it are left unread). The part counts only once kept; disposed unkept, its range is free again. A range
    /// stored before is left as it is (the part reads nothing and keeps nothing); a range overlapping a different stored or
    /// reserved one, or content shorter than the range, is <c>storage_invalid_content_range</c>.
    /// </summary>
    Task<IUploadPart> WritePartAsync(string deploymentId, ContentRange range, Stream content, CancellationToken ct);

    /// <summary>
    /// Moves the complete upload into blob storage (hashing only what was not hashed while its parts arrived); returns the
    /// blob key and size. The parts stay until <see cref="DiscardAsync"/>.
    /// </summary>
    Task<(string Key, long Size)> AssembleAsync(string deploymentId, long total, CancellationToken ct);

    /// <summary>Removes whatever parts of this upload are stored.</summary>
    Task DiscardAsync(string deploymentId, CancellationToken ct);
}

/// <summary>A chunk written at its offset under its range's reservation.</summary>
public interface IUploadPart : IAsyncDisposable
{
    /// <summary>The range becomes stored; returns the upload's progress with it.</summary>
    Task<UploadProgress> KeepAsync(CancellationToken ct);
}
