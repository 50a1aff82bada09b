using System.Formats.Tar;
using System.IO.Compression;
using FunctionsPlatform.Application.Deployments;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Infrastructure.DeploymentSources;

/// <summary>
/// Packs a directory's contents into a <c>.tar.gz</c> with the shape of an upload (entries relative to the root, no
/// wrapping folder), in a private temporary file that is deleted when the stream is disposed. Symbolic links are stored
/// as links, never followed: the build's safe extractor judges them like those of an uploaded archive.
/// </summary>
internal sealed class DirectoryArchiver(DeploymentSettings limits)
{
    private const int BufferSize = 81920;

    /// <param name="excludeTopLevel">Names left out at the root (a checkout's <c>.git</c>).</param>
    public async Task<Stream> PackAsync(string root, IReadOnlyCollection<string> excludeTopLevel, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fp-source-{Guid.NewGuid():N}.tar.gz");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
            await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
            {
                var budget = new Budget(limits.MaxExtractedBytes, limits.MaxArchiveEntries);
                await AddDirectoryAsync(tar, root, "", excludeTopLevel, budget, ct);
            }

            await file.FlushAsync(ct);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static async Task AddDirectoryAsync(TarWriter tar, string directory, string prefix, IReadOnlyCollection<string> exclude, Budget budget, CancellationToken ct)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (prefix.Length == 0 && exclude.Contains(entry.Name))
            {
                continue;
            }

            ct.ThrowIfCancellationRequested();
            var name = prefix + entry.Name;
            budget.Add(entry is FileInfo { LinkTarget: null } file ? file.Length : 0);
            await tar.WriteEntryAsync(entry.FullName, name, ct);
            if (entry is DirectoryInfo { LinkTarget: null })
            {
                await AddDirectoryAsync(tar, entry.FullName, name + "/", exclude, budget, ct);
            }
        }
    }

    /// <summary>The limits an uploaded archive's extraction has: a source larger than that is refused as too large.</summary>
    private sealed class Budget(long maxBytes, int maxEntries)
    {
        private long _bytes;
        private int _entries;

        public void Add(long bytes)
        {
            _bytes += bytes;
            _entries++;
            if (_bytes > maxBytes || _entries > maxEntries)
            {
                throw new DomainException(DeploymentErrors.InvalidFileSize);
            }
        }
    }
}
