using System.Security.Cryptography;
using FunctionsPlatform.Application.Abstractions.Services;

namespace FunctionsPlatform.Infrastructure.Services;

/// <summary>
/// prefix + '_' + a 26-character ULID in lower-case Crockford base32: 48 bits of Unix milliseconds then 80 random bits,
/// monotonic within a millisecond so ids made in one process sort in creation order.
/// </summary>
internal sealed class UlidIdGenerator(TimeProvider clock) : IIdGenerator
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private readonly Lock _gate = new();
    private long _lastMs;
    private readonly byte[] _lastRandom = new byte[10];

    public string NewId(string prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_gate)
        {
            var ms = clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (ms <= _lastMs)
            {
                ms = _lastMs;
                Increment(_lastRandom);
            }
            else
            {
                _lastMs = ms;
                RandomNumberGenerator.Fill(_lastRandom);
                _lastRandom[0] &= 0x7f; // headroom so increments within one millisecond never overflow
            }

            for (var i = 5; i >= 0; i--)
            {
                bytes[i] = (byte)(ms & 0xff);
                ms >>= 8;
            }

            _lastRandom.CopyTo(bytes[6..]);
        }

        return string.Create(prefix.Length + 27, (prefix, Encode(bytes)), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            span[state.prefix.Length] = '_';
            state.Item2.AsSpan().CopyTo(span[(state.prefix.Length + 1)..]);
        });
    }

    private static void Increment(byte[] value)
    {
        for (var i = value.Length - 1; i >= 0; i--)
        {
            if (++value[i] != 0)
            {
                return;
            }
        }
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 128 bits → 26 base32 characters (the first carries 3 bits).
        var hi = ((UInt128)BitConverter.ToUInt64([.. bytes[..8].ToArray().Reverse()]) << 64) | BitConverter.ToUInt64([.. bytes[8..].ToArray().Reverse()]);
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(hi & 31)];
            hi >>= 5;
        }

        return new string(chars);
    }
}
