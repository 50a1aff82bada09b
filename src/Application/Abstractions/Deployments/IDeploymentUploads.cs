namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>How many distinct parts of an upload are stored, and whether they cover the whole archive.</summary>
public sealed record UploadProgress(int DistinctParts, bool Complete);

/// <summary>
/// The parts of chunked deployment uploads, kept apart until every byte range is there, then assembled by streaming
/// (memory does not grow with the archive). Parts of one upload may be stored concurrently and out of order.
/// </summary>
public interface IDeploymentUploads
{
    /// <summary>
    /// Stores exactly <see cref="ContentRange.Length"/> bytes of <paramref name="content"/> as that range (bytes beyond it are
    /// ignored). A range stored before is left as it is; a range overlapping a different stored one, or content shorter
    /// than the range, is <c>storage_invalid_content_range</c>.
    /// </summary>
    Task<UploadProgress> StorePartAsync(string deploymentId, ContentRange range, Stream content, CancellationToken ct);

    /// <summary>Streams the complete upload, in byte order, into blob storage; returns the blob key and size. The parts stay until <see cref="DiscardAsync"/>.</summary>
    Task<(string Key, long Size)> AssembleAsync(string deploymentId, long total, CancellationToken ct);

    /// <summary>Removes whatever parts of this upload are stored.</summary>
    Task DiscardAsync(string deploymentId, CancellationToken ct);
}
