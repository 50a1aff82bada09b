using System.Globalization;

namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>
/// One part of a chunked upload: <c>Content-Range: bytes start-end/total</c>, both ends inclusive. Chunks of one upload
/// may arrive in any order and more than once; together they must cover <c>0..total-1</c> exactly.
/// </summary>
public sealed record ContentRange(long Start, long End, long Total)
{
    public long Length => End - Start + 1;

    /// <summary>Strict: <c>bytes </c>, decimal digits only, <c>start ≤ end &lt; total</c>.</summary>
    public static bool TryParse(string? header, out ContentRange range)
    {
        range = new ContentRange(0, 0, 0);
        if (header is null || !header.StartsWith("bytes ", StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        var slash = spec.IndexOf('/');
        if (dash <= 0 || slash <= dash + 1 || slash == spec.Length - 1)
        {
            return false;
        }

        if (!Number(spec[..dash], out var start) || !Number(spec[(dash + 1)..slash], out var end) || !Number(spec[(slash + 1)..], out var total))
        {
            return false;
        }

        if (start > end || end >= total)
        {
            return false;
        }

        range = new ContentRange(start, end, total);
        return true;
    }

    private static bool Number(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return text.Length is > 0 and <= 18 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
