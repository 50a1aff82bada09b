using System.Collections.Concurrent;
using System.Globalization;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Chunked uploads written in place: each chunk goes from the request straight into
/// <c>{DataDirectory}/uploads/{deploymentId}/archive</c> at its offset, so the archive is whole once the last chunk is in,
/// and assembly only moves it into the blob store: each byte is written once. Its SHA-256 (the blob key) follows the
/// kept parts from byte 0 in the background (<see cref="ArchiveDigest"/>), so completing an upload hashes only what the
/// digest has not reached yet (after a restart, or beyond <see cref="MaxFollowedUploads"/> uploads at once, all of it). Chunk ranges are
/// reserved under a per-upload lock before their bytes are written (<c>{start}-{end}.writing</c>, renamed <c>.part</c>
/// when the request keeps the chunk), so parallel chunks never overlap, and a range reserved before is dropped: the first
/// one stored stands. Nothing is flushed to disk per chunk: after a crash of the machine an unfinished upload is sent
/// again, as its client would after losing the server anyway; a crash of the process loses nothing the page cache holds.
/// </summary>
internal sealed class FileSystemDeploymentUploads(StorageOptions storage, IBlobStorage blobs) : IDeploymentUploads, IDisposable
{
    private const string PartSuffix = ".part";
    private const string WritingSuffix = ".writing";
    private const string ArchiveName = "archive";
    private const string AssembledName = "assembled";
    private const int BufferBytes = 256 * 1024;

    /// <summary>Uploads whose digest is followed at once; one holds a hash state, so abandoned uploads cannot grow memory past this.</summary>
    private const int MaxFollowedUploads = 256;

    private readonly ConcurrentDictionary<string, ArchiveDigest> _digests = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private string Root => Path.Combine(storage.DataDirectory, "uploads");

    public async Task<IUploadPart> WritePartAsync(string deploymentId, ContentRange range, Stream content, CancellationToken ct)
    {
        var directory = DirectoryOf(deploymentId);
        Directory.CreateDirectory(directory);
        var stripe = Stripe(deploymentId);
        var writing = Path.Combine(directory, NameOf(range.Start, range.End, WritingSuffix));
        await stripe.WaitAsync(ct);
        try
        {
            if (EnsureConsistent(ListParts(directory, WritingSuffix).Concat(ListParts(directory, PartSuffix)).ToList(), range))
            {
                return new StoredBefore(directory, range.Total);
            }

            await File.WriteAllBytesAsync(writing, [], ct);
        }
        finally
        {
            stripe.Release();
        }

        var reservation = new Reservation(this, directory, range, writing);
        try
        {
            await WriteAtAsync(Path.Combine(directory, ArchiveName), range, content, ct);
            return reservation;
        }
        catch
        {
            await reservation.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Removes the reservations of chunks whose writing a crash interrupted: their ranges hold partial bytes and are free
    /// for the client's retry. Runs at start, before any upload request.
    /// </summary>
    public int RemoveInterruptedWrites()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(Root, "*" + WritingSuffix, SearchOption.AllDirectories))
        {
            File.Delete(path);
            removed++;
        }

        return removed;
    }

    public async Task<(string Key, long Size)> AssembleAsync(string deploymentId, long total, CancellationToken ct)
    {
        var directory = DirectoryOf(deploymentId);
        var assembled = Path.Combine(directory, AssembledName);
        if (File.Exists(assembled))
        {
            // Assembled before (a save that failed after it): the archive is in the blob store already.
            var recorded = (await File.ReadAllTextAsync(assembled, ct)).Split(' ');
            return (recorded[0], long.Parse(recorded[1], CultureInfo.InvariantCulture));
        }

        if (!Progress(ListParts(directory, PartSuffix), total).Complete)
        {
            throw new DomainException(DeploymentErrors.InvalidContentRange.WithMessage("The upload is not complete."));
        }

        var archive = Path.Combine(directory, ArchiveName);
        var size = new FileInfo(archive).Length;
        var key = (_digests.TryRemove(deploymentId, out var digest) ? await digest.FinishAsync(size, ct) : null)
            ?? await ArchiveDigest.OfFileAsync(archive, ct);
        await blobs.PutFileAsync(archive, key, ct);
        await File.WriteAllTextAsync(assembled, string.Create(CultureInfo.InvariantCulture, $"{key} {size}"), ct);
        return (key, size);
    }

    public Task DiscardAsync(string deploymentId, CancellationToken ct)
    {
        var directory = DirectoryOf(deploymentId);
        if (_digests.TryRemove(deploymentId, out var digest))
        {
            digest.Abandon();
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    /// <summary>True when exactly this range is stored already; throws when it overlaps a different one.</summary>
    private static bool EnsureConsistent(List<(long Start, long End)> parts, ContentRange range)
    {
        foreach (var (start, end) in parts)
        {
            if (start == range.Start && end == range.End)
            {
                return true;
            }

            if (start <= range.End && range.Start <= end)
            {
                throw new DomainException(DeploymentErrors.InvalidContentRange.WithMessage(
                    $"The chunk bytes {range.Start}-{range.End} overlap the stored chunk {start}-{end}."));
            }
        }

        return false;
    }

    /// <summary>Complete when the parts, which never overlap, tile 0..total-1 without a gap.</summary>
    private static UploadProgress Progress(List<(long Start, long End)> parts, long total) =>
        new(parts.Count, CoveredFromStart(parts) == total);

    /// <summary>How far the parts, which never overlap, reach from byte 0 without a gap.</summary>
    private static long CoveredFromStart(List<(long Start, long End)> parts)
    {
        long next = 0;
        foreach (var (start, end) in parts.OrderBy(p => p.Start))
        {
            if (start != next)
            {
                break;
            }

            next = end + 1;
        }

        return next;
    }

    private static List<(long Start, long End)> ListParts(string directory, string suffix)
    {
        var parts = new List<(long, long)>();
        if (!Directory.Exists(directory))
        {
            return parts;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*" + suffix))
        {
            var name = Path.GetFileName(path)[..^suffix.Length];
            var dash = name.IndexOf('-');
            if (dash > 0 && long.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(name[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                parts.Add((start, end));
            }
        }

        return parts;
    }

    private static string NameOf(long start, long end, string suffix) => string.Create(CultureInfo.InvariantCulture, $"{start}-{end}{suffix}");

    /// <summary>
    /// Exactly the range's bytes of <paramref name="content"/>, written at its offset (positional writes: parallel chunks
    /// share the file). The buffer is filled before each write, since a multipart section hands out a few KiB per read.
    /// </summary>
    private static async Task WriteAtAsync(string path, ContentRange range, Stream content, CancellationToken ct)
    {
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        var buffer = new byte[(int)Math.Min(BufferBytes, range.Length)];
        var offset = range.Start;
        long remaining = range.Length;
        while (remaining > 0)
        {
            var want = (int)Math.Min(buffer.Length, remaining);
            var filled = 0;
            int read;
            while (filled < want && (read = await content.ReadAsync(buffer.AsMemory(filled, want - filled), ct)) > 0)
            {
                filled += read;
            }

            if (filled == 0)
            {
                throw new DomainException(DeploymentErrors.InvalidContentRange.WithMessage(
                    $"The chunk holds {range.Length - remaining} bytes, but its Content-Range announces {range.Length}."));
            }

            RandomAccess.Write(handle, buffer.AsSpan(0, filled), offset); // into the page cache: no thread hop for a memory copy
            offset += filled;
            remaining -= filled;
        }
    }

    private async Task<UploadProgress> KeepAsync(string directory, ContentRange range, string writing, CancellationToken ct)
    {
        var stripe = Stripe(Path.GetFileName(directory));
        await stripe.WaitAsync(ct);
        try
        {
            File.Move(writing, Path.Combine(directory, NameOf(range.Start, range.End, PartSuffix)));
            var parts = ListParts(directory, PartSuffix);
            Follow(Path.GetFileName(directory), directory, CoveredFromStart(parts));
            return Progress(parts, range.Total);
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>Lets the upload's digest hash up to <paramref name="covered"/> in the background (a new digest only from byte 0).</summary>
    private void Follow(string deploymentId, string directory, long covered)
    {
        if (covered == 0 || (!_digests.ContainsKey(deploymentId) && _digests.Count >= MaxFollowedUploads))
        {
            return;
        }

        _digests.GetOrAdd(deploymentId, _ => new ArchiveDigest(Path.Combine(directory, ArchiveName))).Follow(covered);
    }

    private async Task ReleaseAsync(string directory, string writing)
    {
        var stripe = Stripe(Path.GetFileName(directory));
        await stripe.WaitAsync(CancellationToken.None);
        try
        {
            File.Delete(writing); // the range is free again for a retry; its partial bytes are overwritten then
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>A chunk written under its reservation: kept, it becomes a stored part; disposed unkept, its range is free again.</summary>
    private sealed class Reservation(FileSystemDeploymentUploads owner, string directory, ContentRange range, string writing) : IUploadPart
    {
        private bool _settled;

        public async Task<UploadProgress> KeepAsync(CancellationToken ct)
        {
            var progress = await owner.KeepAsync(directory, range, writing, ct);
            _settled = true;
            return progress;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_settled)
            {
                _settled = true;
                await owner.ReleaseAsync(directory, writing);
            }
        }
    }

    /// <summary>A repeated chunk: its range was stored before, so nothing is written or kept.</summary>
    private sealed class StoredBefore(string directory, long total) : IUploadPart
    {
        public Task<UploadProgress> KeepAsync(CancellationToken ct) => Task.FromResult(Progress(ListParts(directory, PartSuffix), total));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private string DirectoryOf(string deploymentId)
    {
        if (deploymentId.Length is 0 or > IdPrefixes.MaxIdLength || deploymentId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) || deploymentId[0] == '.')
        {
            throw new ArgumentException("Not a deployment id.", nameof(deploymentId));
        }

        return Path.Combine(Root, deploymentId);
    }

    private SemaphoreSlim Stripe(string deploymentId) => _stripes[(StringComparer.Ordinal.GetHashCode(deploymentId) & int.MaxValue) % _stripes.Length];
}
