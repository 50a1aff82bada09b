using System.Security.Cryptography;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Infrastructure.Resilience;

namespace FunctionsPlatform.Infrastructure.Storage;

/// <summary>
/// Content-addressed blobs under <c>{DataDirectory}/blobs/ab/abcdef…</c>: written to a temp file, hashed while copied,
/// then moved into place, so a reader never sees half a blob and equal content is stored once. A file already on disk
/// (an assembled upload, hashed while it arrived) is moved in, never copied.
/// </summary>
internal sealed class FileSystemBlobStorage(StorageOptions options, ResiliencePipelineProvider pipelines) : IBlobStorage
{
    private string Root => Path.Combine(options.DataDirectory, "blobs");

    public async Task<(string Key, long Size)> PutAsync(Stream content, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Root);
        var temp = Path.Combine(Root, $".tmp-{Guid.NewGuid():N}");
        try
        {
            string key;
            long size;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                size = 0;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }

                key = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var target = PathOf(key);
            await pipelines.Storage.ExecuteAsync(_ =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (!File.Exists(target))
                {
                    File.Move(temp, target);
                }

                return ValueTask.CompletedTask;
            }, ct);
            return (key, size);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public async Task PutFileAsync(string path, string key, CancellationToken ct = default)
    {
        var target = PathOf(key);
        await pipelines.Storage.ExecuteAsync(_ =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target))
            {
                File.Delete(path); // equal content is stored already
            }
            else
            {
                File.Move(path, target);
            }

            return ValueTask.CompletedTask;
        }, ct);
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null);
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        if (key.Length != 64 || !key.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Blob keys are SHA-256 hex digests.", nameof(key));
        }

        return Path.Combine(Root, key[..2], key);
    }
}
