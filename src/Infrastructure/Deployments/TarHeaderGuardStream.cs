using System.Buffers.Binary;
using FunctionsPlatform.Application.Abstractions.Deployments;

namespace FunctionsPlatform.Infrastructure.Deployments;

/// <summary>
/// Sits between the gzip decompressor and the tar reader and follows the tar block structure as it passes: it bounds
/// the decompressed bytes (a gzip bomb stops at the limit, not at the disk's end), refuses a metadata entry (pax or GNU
/// long name) larger than <see cref="MaxMetadataBytes"/> before the reader would buffer it in memory, and notes the
/// end-of-archive block, so a stream cut at an entry boundary is recognised as truncated.
/// </summary>
internal sealed class TarHeaderGuardStream(Stream inner, long maxBytes) : Stream
{
    public const int MaxMetadataBytes = 1024 * 1024;
    private const int Block = 512;

    private readonly byte[] _header = new byte[Block];
    private int _headerFill;
    private long _skip;
    private long _total;

    public bool SawEndOfArchive { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Inspect(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override int Read(Span<byte> buffer) => Inspect(buffer[..inner.Read(buffer)]);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Inspect(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Inspect(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        if (_total > maxBytes)
        {
            throw new InvalidArchiveException($"The archive expands to more than {maxBytes} bytes.");
        }

        var rest = data;
        while (rest.Length > 0 && !SawEndOfArchive)
        {
            if (_skip > 0)
            {
                var skipped = (int)Math.Min(_skip, rest.Length);
                _skip -= skipped;
                rest = rest[skipped..];
                continue;
            }

            var take = Math.Min(Block - _headerFill, rest.Length);
            rest[..take].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += take;
            rest = rest[take..];
            if (_headerFill == Block)
            {
                _headerFill = 0;
                OnHeader();
            }
        }

        return data.Length;
    }

    private void OnHeader()
    {
        if (_header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            SawEndOfArchive = true;
            return;
        }

        var size = ParseSize(_header.AsSpan(124, 12));
        var type = (char)_header[156];
        if (type is 'x' or 'g' or 'L' or 'K' && size > MaxMetadataBytes)
        {
            throw new InvalidArchiveException($"An archive metadata entry is larger than {MaxMetadataBytes} bytes.");
        }

        // Entries without content (links, directories, devices) carry no data blocks whatever their size field says.
        _skip = type is '1' or '2' or '3' or '4' or '5' or '6' ? 0 : (size + Block - 1) / Block * Block;
    }

    /// <summary>Octal digits, or GNU base-256 (high bit of the first byte set). Malformed: <see cref="InvalidDataException"/>, as the tar reader reports it.</summary>
    private static long ParseSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            if (field[0] != 0x80 || field[1..4].IndexOfAnyExcept((byte)0) >= 0)
            {
                throw new InvalidDataException("An archive entry has an impossible size.");
            }

            return BinaryPrimitives.ReadInt64BigEndian(field[4..]) is var big and >= 0
                ? big
                : throw new InvalidDataException("An archive entry has an impossible size.");
        }

        long value = 0;
        foreach (var b in field)
        {
            if (b is 0 or (byte)' ')
            {
                if (value > 0)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
            {
                throw new InvalidDataException("An archive entry has a malformed size field.");
            }

            value = (value * 8) + (b - '0');
        }

        return value;
    }
}
