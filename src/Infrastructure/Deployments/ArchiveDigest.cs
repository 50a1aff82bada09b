using System.Buffers;
using System.Security.Cryptography;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// The SHA-256 of an upload's archive, computed while the upload is still arriving: whenever the kept parts reach
/// further from byte 0 without a gap, a background pump hashes the new bytes from the file (page cache) while the
/// client sends the next chunks, so the chunk completing the upload hashes only what came last. Kept parts never
/// change (a stored range is never written again), so what is hashed stays true. One pump runs at a time per archive.
/// </summary>
internal sealed class ArchiveDigest(string path)
{
    private const int ReadBytes = 1024 * 1024;
    private readonly Lock _gate = new();
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _hashed;
    private long _target;
    private bool _pumping;
    private bool _abandoned;
    private Task _pump = Task.CompletedTask;

    /// <summary>Bytes hashed so far, from the start of the archive.</summary>
    public long Hashed
    {
        get
        {
            lock (_gate)
            {
                return _hashed;
            }
        }
    }

    /// <summary>The kept parts now cover <c>0..end-1</c> without a gap: hashes up to there in the background.</summary>
    public void Follow(long end)
    {
        lock (_gate)
        {
            if (_abandoned || end <= _target)
            {
                return;
            }

            _target = end;
            if (!_pumping)
            {
                _pumping = true;
                _pump = Task.Run(PumpAsync);
            }
        }
    }

    /// <summary>
    /// The archive's digest (lower-case hex) once every byte up to <paramref name="total"/> is hashed: what the pump has
    /// not reached yet is hashed here. Null when the pump failed: the caller hashes the file itself.
    /// </summary>
    public async Task<string?> FinishAsync(long total, CancellationToken ct)
    {
        Follow(total);
        Task pump;
        lock (_gate)
        {
            pump = _pump;
        }

        try
        {
            await pump.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            Abandon();
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The pump stopped (it marked this digest abandoned): the caller hashes the file.
        }

        lock (_gate)
        {
            var whole = !_abandoned && _hashed == total;
            _abandoned = true;
            var digest = whole ? Convert.ToHexStringLower(_sha.GetHashAndReset()) : null;
            _sha.Dispose();
            return digest;
        }
    }

    /// <summary>The SHA-256 of a whole file (lower-case hex), read once: for an archive no digest followed.</summary>
    public static async Task<string> OfFileAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
        try
        {
            int read;
            while ((read = await file.ReadAsync(buffer.AsMemory(0, ReadBytes), ct)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }

            return Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The upload is gone: the pump stops at its next read and the hash is released.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _abandoned = true;
            if (!_pumping)
            {
                _sha.Dispose();
            }
        }
    }

    private async Task PumpAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            while (true)
            {
                long from;
                int length;
                lock (_gate)
                {
                    if (_abandoned || _hashed >= _target)
                    {
                        _pumping = false;
                        if (_abandoned)
                        {
                            _sha.Dispose();
                        }

                        return;
                    }

                    from = _hashed;
                    length = (int)Math.Min(ReadBytes, _target - _hashed);
                }

                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, length), from);
                if (read == 0)
                {
                    throw new IOException($"The archive ends at {from} bytes, before the kept parts do.");
                }

                _sha.AppendData(buffer, 0, read);
                lock (_gate)
                {
                    _hashed += read;
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                _pumping = false;
                _abandoned = true;
            }

            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
