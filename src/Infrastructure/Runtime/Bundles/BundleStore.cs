using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Infrastructure.Runtime.Bundles;

/// <summary>A bundle on disk: its content hash, its root directory and the entrypoint's full path.</summary>
internal sealed record MaterializedBundle(string Hash, string Directory, string EntrypointPath);

/// <summary>
/// Puts code bundles on disk once, under <c>&lt;data&gt;/bundles/&lt;sha256&gt;/</c>, content-addressed so equal code is shared;
/// reference-counted by the processes using them and deleted once unreferenced for the retention period.
/// </summary>
internal sealed class BundleStore : IDisposable
{
    private const string CompleteMarker = ".complete";

    private const int MaxRememberedKeys = 10_000;

    private readonly ConcurrentDictionary<string, string> _archiveHashes = new();
    private readonly ConcurrentDictionary<string, string> _filesHashes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BundleUse> _uses = new();
    private readonly ConcurrentDictionary<string, bool> _complete = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeSpan _retention;

    public BundleStore(StorageOptions storage, IOptions<RuntimeOptions> runtime)
    {
        DataDirectory = Path.GetFullPath(storage.DataDirectory);
        Root = Path.Combine(DataDirectory, "bundles");
        Directory.CreateDirectory(Root);
        _retention = TimeSpan.FromSeconds(runtime.Value.BundleRetentionSeconds);
    }

    public string DataDirectory { get; }

    public string Root { get; }

    public async Task<MaterializedBundle> MaterializeAsync(CodeBundle bundle, CancellationToken cancellationToken)
    {
        string hash;
        if (bundle.Files is { } files)
        {
            // Hashing is linear in the code's size (a 1 MB bundle: milliseconds): a known content key skips it.
            if (bundle.FilesKey is not { } key || !_filesHashes.TryGetValue(key, out hash!) || !IsComplete(hash))
            {
                hash = HashFiles(files);
                if (!IsComplete(hash))
                {
                    await WriteOnceAsync(hash, dir => WriteFilesAsync(dir, files, cancellationToken), cancellationToken);
                }

                if (bundle.FilesKey is { } newKey)
                {
                    RememberFilesKey(newKey, hash);
                }
            }
        }
        else
        {
            hash = await MaterializeArchiveAsync(bundle, cancellationToken);
        }

        var directory = Path.Combine(Root, hash);
        var entrypoint = SafeCombine(directory, bundle.Entrypoint);
        return new MaterializedBundle(hash, directory, entrypoint);
    }

    public void AddReference(string hash) => _uses.AddOrUpdate(hash, _ => new BundleUse(1), (_, use) => use.Add(1));

    public void RemoveReference(string hash) => _uses.AddOrUpdate(hash, _ => new BundleUse(0), (_, use) => use.Add(-1));

    /// <summary>Deletes bundles no process uses and nobody touched for the retention period; at start-up, all leftovers.</summary>
    public void Sweep(bool everythingUnreferenced = false)
    {
        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            var hash = Path.GetFileName(directory);
            var inUse = _uses.TryGetValue(hash, out var use) && (use.References > 0 || (!everythingUnreferenced && DateTime.UtcNow - use.LastUsed < _retention));
            if (inUse || (!everythingUnreferenced && !_uses.ContainsKey(hash) && Directory.GetLastWriteTimeUtc(directory) > DateTime.UtcNow - _retention))
            {
                continue;
            }

            try
            {
                _complete.TryRemove(hash, out _);
                Directory.Delete(directory, recursive: true);
                _uses.TryRemove(hash, out _);
            }
            catch (IOException)
            {
                // Raced with a writer or a reader: the next sweep retries.
            }
        }
    }

    public void Dispose() => _writeLock.Dispose();

    /// <summary>Remembered once seen, so a warm call costs no file-system lookup; <see cref="Sweep"/> forgets deleted ones.</summary>
    private bool IsComplete(string hash)
    {
        if (_complete.ContainsKey(hash))
        {
            return true;
        }

        var complete = File.Exists(Path.Combine(Root, hash, CompleteMarker));
        if (complete)
        {
            _complete[hash] = true;
        }

        return complete;
    }

    private async Task<string> MaterializeArchiveAsync(CodeBundle bundle, CancellationToken cancellationToken)
    {
        if (_archiveHashes.TryGetValue(bundle.ArchiveKey!, out var known) && IsComplete(known))
        {
            return known;
        }

        var staging = Path.Combine(Root, ".tmp-" + Guid.NewGuid().ToString("N") + ".tar.gz");
        try
        {
            string hash;
            await using (var source = await bundle.OpenArchive!(cancellationToken))
            await using (var file = File.Create(staging))
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                hash = "a" + Convert.ToHexStringLower(sha.GetHashAndReset())[..40];
            }

            if (!IsComplete(hash))
            {
                await WriteOnceAsync(hash, async dir =>
                {
                    await using var gzip = new GZipStream(File.OpenRead(staging), CompressionMode.Decompress);
                    await TarFile.ExtractToDirectoryAsync(gzip, dir, overwriteFiles: true, cancellationToken);
                }, cancellationToken);
            }

            _archiveHashes[bundle.ArchiveKey!] = hash;
            return hash;
        }
        finally
        {
            File.Delete(staging);
        }
    }

    /// <summary>Writes into a staging directory and renames it into place, so readers never see half a bundle.</summary>
    private async Task WriteOnceAsync(string hash, Func<string, Task> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var target = Path.Combine(Root, hash);
            if (IsComplete(hash))
            {
                return;
            }

            var staging = Path.Combine(Root, ".tmp-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(staging);
            await write(staging);
            await File.WriteAllTextAsync(Path.Combine(staging, CompleteMarker), hash, cancellationToken);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(staging, target);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static async Task WriteFilesAsync(string directory, IReadOnlyList<CodeFile> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var path = SafeCombine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content, cancellationToken);
        }
    }

    private void RememberFilesKey(string key, string hash)
    {
        if (_filesHashes.Count >= MaxRememberedKeys)
        {
            _filesHashes.Clear();
        }

        _filesHashes[key] = hash;
    }

    private static string HashFiles(IReadOnlyList<CodeFile> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file.Path));
            sha.AppendData([0]);
            sha.AppendData(Encoding.UTF8.GetBytes(file.Content));
            sha.AppendData([0]);
        }

        return "f" + Convert.ToHexStringLower(sha.GetHashAndReset())[..40];
    }

    /// <summary>Joins a bundle-relative path, refusing absolute paths and <c>..</c> escapes.</summary>
    internal static string SafeCombine(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative.TrimStart('/')));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Path '{relative}' escapes the code bundle.");
        }

        return full;
    }

    private sealed record BundleUse(int References)
    {
        public DateTime LastUsed { get; init; } = DateTime.UtcNow;

        public BundleUse Add(int delta) => new(References + delta);
    }
}
