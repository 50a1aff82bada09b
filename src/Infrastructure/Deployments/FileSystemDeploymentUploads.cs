using System.Globalization;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Application.Abstractions.Storage;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Upload parts as files <c>{DataDirectory}/uploads/{deploymentId}/{start}-{end}.part</c>. A part streams into a temp
/// file and is renamed into place under a per-upload lock that checks it against the parts already there, so parallel
/// parts never mix and a repeated part is dropped. Assembly streams the parts in byte order into the blob store.
/// </summary>
internal sealed class FileSystemDeploymentUploads(StorageOptions storage, IBlobStorage blobs) : IDeploymentUploads, IDisposable
{
    private const string PartSuffix = ".part";
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 32).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private string Root => Path.Combine(storage.DataDirectory, "uploads");

    public async Task<UploadProgress> StorePartAsync(string deploymentId, ContentRange range, Stream content, CancellationToken ct)
    {
        var directory = DirectoryOf(deploymentId);
        Directory.CreateDirectory(directory);
        EnsureConsistent(ListParts(directory), range); // refuse early, before reading the body
        var temp = Path.Combine(directory, $".tmp-{Guid.NewGuid():N}");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                long remaining = range.Length;
                while (remaining > 0)
                {
                    var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
                    if (read == 0)
                    {
                        throw new DomainException(DeploymentErrors.InvalidContentRange.WithMessage(
                            $"The chunk holds {range.Length - remaining} bytes, but its Content-Range announces {range.Length}."));
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    remaining -= read;
                }
            }

            var stripe = Stripe(deploymentId);
            await stripe.WaitAsync(ct);
            try
            {
                var parts = ListParts(directory);
                if (!EnsureConsistent(parts, range))
                {
                    File.Move(temp, Path.Combine(directory, NameOf(range)));
                    parts.Add((range.Start, range.End));
                }

                return Progress(parts, range.Total);
            }
            finally
            {
                stripe.Release();
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public async Task<(string Key, long Size)> AssembleAsync(string deploymentId, long total, CancellationToken ct)
    {
        var directory = DirectoryOf(deploymentId);
        var parts = ListParts(directory).OrderBy(p => p.Start).ToList();
        if (!Progress(parts, total).Complete)
        {
            throw new DomainException(DeploymentErrors.InvalidContentRange.WithMessage("The upload is not complete."));
        }

        await using var assembled = new ConcatenatedFileStream(parts.Select(p => Path.Combine(directory, NameOf(p.Start, p.End))).ToList());
        return await blobs.PutAsync(assembled, ct);
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

    private static List<(long Start, long End)> ListParts(string directory)
    {
        var parts = new List<(long, long)>();
        if (!Directory.Exists(directory))
        {
            return parts;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*" + PartSuffix))
        {
            var name = Path.GetFileName(path)[..^PartSuffix.Length];
            var dash = name.IndexOf('-');
            if (dash > 0 && long.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && long.TryParse(name[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                parts.Add((start, end));
            }
        }

        return parts;
    }

    private static string NameOf(ContentRange range) => NameOf(range.Start, range.End);

    private static string NameOf(long start, long end) => string.Create(CultureInfo.InvariantCulture, $"{start}-{end}{PartSuffix}");

    private string DirectoryOf(string deploymentId)
    {
        if (deploymentId.Length is 0 or > IdPrefixes.MaxIdLength || deploymentId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) || deploymentId[0] == '.')
        {
            throw new ArgumentException("Not a deployment id.", nameof(deploymentId));
        }

        return Path.Combine(Root, deploymentId);
    }

    private SemaphoreSlim Stripe(string deploymentId) => _stripes[(StringComparer.Ordinal.GetHashCode(deploymentId) & int.MaxValue) % _stripes.Length];

    /// <summary>Reads the files one after the other, each opened only when reached.</summary>
    private sealed class ConcatenatedFileStream(IReadOnlyList<string> paths) : Stream
    {
        private int _index;
        private FileStream? _current;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_index < paths.Count)
            {
                _current ??= new FileStream(paths[_index], FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                var read = await _current.ReadAsync(buffer, cancellationToken);
                if (read > 0)
                {
                    return read;
                }

                await _current.DisposeAsync();
                _current = null;
                _index++;
            }

            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _current?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
