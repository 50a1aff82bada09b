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
/// The <c>bundles</c> directory is root's alone (0700); each bundle inside is opened to everyone (dirs 0755, files 0644,
/// no setuid/setgid bits) whatever the umask, because the sandbox user reads it through its read-only bind mount, not
/// through the data directory. Errors name bundle-relative paths only, never a host path, and a failed write leaves nothing.
/// </summary>
internal sealed class BundleStore : IDisposable
{
    private const string CompleteMarker = ".complete";
    private const string StagingPrefix = ".tmp-";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ReadableExecutable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

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
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Root, OwnerOnly);
        }

        _retention = TimeSpan.FromSeconds(runtime.Value.BundleRetentionSeconds);
    }

    public string DataDirectory { get; }

    public string Root { get; }

    public async Task<MaterializedBundle> MaterializeAsync(CodeBundle bundle, CancellationToken cancellationToken)
    {
        if (bundle.PreparedDirectory is { } prepared && Directory.Exists(prepared))
        {
            // A deployment's build output: extracted once when its build ended, content-addressed and already open to the
            // sandbox user, so it is run in place; nothing is extracted on an execution's path.
            return new MaterializedBundle("d" + bundle.ArchiveKey, prepared, SafeCombine(prepared, bundle.Entrypoint));
        }

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

    /// <summary>Marks the bundle as used now: a bundle prepared ahead of its first call is kept for the retention period like a used one.</summary>
    public void Touch(string hash) => _uses.AddOrUpdate(hash, _ => new BundleUse(0), (_, use) => use.Add(0));

    public void RemoveReference(string hash) => _uses.AddOrUpdate(hash, _ => new BundleUse(0), (_, use) => use.Add(-1));

    /// <summary>Deletes bundles no process uses and nobody touched for the retention period; at start-up, all leftovers.</summary>
    public void Sweep(bool everythingUnreferenced = false)
    {
        if (everythingUnreferenced)
        {
            // Archive staging files of a server that died mid-download.
            foreach (var staging in Directory.EnumerateFiles(Root, StagingPrefix + "*"))
            {
                TryDeleteFile(staging);
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            var hash = Path.GetFileName(directory);
            if (hash == CodeViews.DirectoryName)
            {
                continue; // the generic processes' code views: deleted with their processes
            }

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

        var staging = Path.Combine(Root, StagingPrefix + Guid.NewGuid().ToString("N") + ".tar.gz");
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
                    try
                    {
                        await using var gzip = new GZipStream(File.OpenRead(staging), CompressionMode.Decompress);
                        await TarFile.ExtractToDirectoryAsync(gzip, dir, overwriteFiles: true, cancellationToken);
                    }
                    catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
                    {
                        // .NET's messages name the host destination: say what is wrong in the archive's terms only.
                        throw new InvalidDataException(
                            "The code archive could not be unpacked: it is not a valid tar.gz archive, or an entry escapes the bundle or clashes with another.", ex);
                    }
                }, cancellationToken);
            }

            _archiveHashes[bundle.ArchiveKey!] = hash;
            return hash;
        }
        finally
        {
            TryDeleteFile(staging);
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

            var staging = Path.Combine(Root, StagingPrefix + Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(staging);
                await write(staging);
                await File.WriteAllTextAsync(Path.Combine(staging, CompleteMarker), hash, cancellationToken);
                if (!OperatingSystem.IsWindows())
                {
                    OpenToSandbox(staging);
                }

                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }

                Directory.Move(staging, target);
            }
            catch
            {
                TryDeleteDirectory(staging);
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static async Task WriteFilesAsync(string directory, IReadOnlyList<CodeFile> files, CancellationToken cancellationToken)
    {
        CheckNoClashes(files);
        foreach (var file in files)
        {
            var path = SafeCombine(directory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content, cancellationToken);
        }
    }

    /// <summary>A file cannot also be a folder (<c>a</c> and <c>a/b</c>), and a path cannot appear twice.</summary>
    internal static void CheckNoClashes(IReadOnlyList<CodeFile> files)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = Normalize(file.Path);
            if (!paths.Add(path))
            {
                throw new InvalidDataException($"Version file '{path}' appears more than once.");
            }
        }

        foreach (var path in paths)
        {
            for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                if (paths.Contains(path[..slash]))
                {
                    throw new InvalidDataException($"Version file '{path[..slash]}' is a file, so '{path}' cannot be inside it.");
                }
            }
        }
    }

    private static string Normalize(string path) =>
        string.Join('/', path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));

    /// <summary>Directories 0755, files 0644 (0755 when executable), setuid/setgid/sticky cleared; symbolic links are never followed.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void OpenToSandbox(string directory)
    {
        File.SetUnixFileMode(directory, ReadableExecutable);
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            if (entry is DirectoryInfo child)
            {
                OpenToSandbox(child.FullName);
            }
            else
            {
                var executable = (entry.UnixFileMode & UnixFileMode.UserExecute) != 0;
                File.SetUnixFileMode(entry.FullName, executable ? ReadableExecutable : Readable);
            }
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The start-up sweep removes it.
        }
    }

    private static void TryDeleteFile(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The start-up sweep removes it.
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
