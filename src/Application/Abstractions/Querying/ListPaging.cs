namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>How a list finds its page under its order.</summary>
public abstract record ListPaging;

/// <summary>
/// /api keyset paging: the rows after (<paramref name="Forward"/>) or before the boundary row's sort values, which an
/// opaque cursor carried; a null boundary is the first page. Any depth costs one index seek.
/// </summary>
public sealed record KeysetPaging(IReadOnlyList<object?>? Boundary, bool Forward) : ListPaging
{
    public static KeysetPaging First { get; } = new(null, Forward: true);
}

/// <summary>
/// Appwrite <c>cursorAfter</c>/<c>cursorBefore</c>: the rows after (<paramref name="Forward"/>) or before the row with
/// id <paramref name="RowId"/> (looked up in the list's scope) under the order, then <paramref name="Offset"/> of them
/// skipped, as Appwrite applies an offset after a cursor.
/// </summary>
public sealed record RowCursorPaging(string RowId, bool Forward, int Offset) : ListPaging;

/// <summary>Appwrite <c>offset</c>: the rows from position <paramref name="Offset"/> of the order (an index walk that grows with it).</summary>
public sealed record OffsetPaging(int Offset) : ListPaging;
