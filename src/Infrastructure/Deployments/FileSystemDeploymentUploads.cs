using System.Globalization;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Chunked uploads written in place: each chunk goes straight into <c>{DataDirectory}/uploads/{deploymentId}/archive</c> at
/// its offset, so the archive is whole once the last chunk is in, and assembly only hashes it (one read) and moves it into
/// the blob store: each byte is written once here. Chunk ranges are reserved under a per-upload lock before their bytes
/// are written (<c>{start}-{end}.writing</c>, renamed <c>.part</c> once written), so parallel chunks never overlap, and a
/// range reserved before is dropped: the first one stored stands.
/// </summary>
internal sealed class FileSystemDeploymentUploads(StorageOptions storage, IBlobStorage blobs) : IDeploymentUploads, IDisposable
{
    private const string PartSuffix = ".part";
    private const string WritingSuffix = ".writing";
    private const string ArchiveName = "archive";
    private const string AssembledName = "assembled";
    private const int BufferBytes = 256 * 1024;
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private string Root => Path.Combine(storage.DataDirectory, "uploads");

    public async Task<UploadProgress> StorePartAsync(string deploymentId, ContentRange range, Stream content, CancellationToken ct)
    {
        var directory = DirectoryOf(deploymentId);
        Directory.CreateDirectory(directory);
        var stripe = Stripe(deploymentId);
        var writing = Path.Combine(directory, NameOf(range.Start, range.End, WritingSuffix));
        bool reserved;
        await stripe.WaitAsync(ct);
        try
        {
            reserved = !EnsureConsistent(ListParts(directory, WritingSuffix).Concat(ListParts(directory, PartSuffix)).ToList(), range);
            if (reserved)
            {
                await File.WriteAllBytesAsync(writing, [], ct);
            }
        }
        finally
        {
            stripe.Release();
        }

        if (reserved)
        {
            var written = false;
            try
            {
                await WriteAtAsync(Path.Combine(directory, ArchiveName), range, content, ct);
                written = true;
            }
            finally
            {
                await stripe.WaitAsync(CancellationToken.None);
                try
                {
                    if (written)
                    {
                        File.Move(writing, Path.Combine(directory, NameOf(range.Start, range.End, PartSuffix)));
                    }
                    else
                    {
                        File.Delete(writing); // the range is free again for a retry
                    }
                }
                finally
                {
                    stripe.Release();
                }
            }
        }

        return Progress(ListParts(directory, PartSuffix), range.Total);
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

        var (key, size) = await blobs.PutFileAsync(Path.Combine(directory, ArchiveName), ct);
        await File.WriteAllTextAsync(assembled, string.Create(CultureInfo.InvariantCulture, $"{key} {size}"), ct);
        return (key, size);
    }

    public Task DiscardAsync(string deploymentId, CancellationToken ct)
    {
        var directory = DirectoryOf(deploymentId);
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
    private static UploadProgress Progress(List<(long Start, long End)> parts, long total)
    {
        long next = 0;
        foreach (var (start, end) in parts.OrderBy(p => p.Start))
        {
            if (start != next)
            {
                return new UploadProgress(parts.Count, false);
            }

            next = end + 1;
        }

        return new UploadProgress(parts.Count, next == total);
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

    /// <summary>Exactly the range's bytes of <paramref name="content"/>, written at its offset (positional writes: parallel chunks share the file).</summary>
    private static async Task WriteAtAsync(string path, ContentRange range, Stream content, CancellationToken ct)
    {
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, FileOptions.Asynchronous);
        var buffer = new byte[(int)Math.Min(BufferBytes, range.Length)];
        var offset = range.Start;
        long remaining = range.Length;
        while (remaining > 0)
        {
            var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
            if (read == 0)
            {
                throw new DomainException(DeploymentErrors.InvalidContentRange.WithMessage(
                    $"The chunk holds {range.Length - remaining} bytes, but its Content-Range announces {range.Length}."));
            }

            await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), offset, ct);
            offset += read;
            remaining -= read;
        }
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
