namespace FunctionsPlatform.Application.Abstractions.Storage;

/// <summary>Content-addressed blob store for code archives and build output (<c>data/blobs/</c> by default).</summary>
public interface IBlobStorage
{
    /// <summary>Stores the stream and returns its key (the SHA-256 of the content) and size.</summary>
    Task<(string Key, long Size)> PutAsync(Stream content, CancellationToken ct = default);

    /// <summary>
    /// Stores the file at <paramref name="path"/> under <paramref name="key"/>, the SHA-256 of its content (lower-case
    /// hex) that the caller computed as the file was written, by moving it in, never copied: the file is gone afterwards.
    /// It must be on the same file system as the store, and nobody may write to it any more.
    /// </summary>
    Task PutFileAsync(string path, string key, CancellationToken ct = default);

    Task<Stream?> OpenAsync(string key, CancellationToken ct = default);
    Task DeleteAsync(string key, CancellationToken ct = default);
}
