namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// Compares strings by Unicode code point, which is what SQLite's BINARY (UTF-8 memcmp) and SQL Server's BIN2
/// collations do; <see cref="string.CompareOrdinal(string, string)"/> compares UTF-16 units and differs above U+FFFF.
/// </summary>
public sealed class CodePointComparer : IComparer<string?>
{
    public static CodePointComparer Instance { get; } = new();

    public int Compare(string? x, string? y) => CompareStrings(x, y);

    public static int CompareStrings(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a == b)
            {
                continue;
            }

            // A surrogate (U+D800–DFFF) encodes a code point above U+FFFF, so it sorts after every other BMP unit.
            var aHigh = char.IsSurrogate(a);
            var bHigh = char.IsSurrogate(b);
            return aHigh == bHigh ? a.CompareTo(b) : (aHigh ? 1 : -1);
        }

        return x.Length.CompareTo(y.Length);
    }
}
