namespace FunctionsPlatform.Application.Abstractions.Storage;

/// <summary>Content-addressed blob store for code archives and build output (<c>data/blobs/</c> by default).</summary>
public interface IBlobStorage
{
    /// <summary>Stores the stream and returns its key (the SHA-256 of the content) and size.</summary>
    Task<(string Key, long Size)> PutAsync(Stream content, CancellationToken ct = default);
    Task<Stream?> OpenAsync(string key, CancellationToken ct = default);
    Task DeleteAsync(string key, CancellationToken ct = default);
}
