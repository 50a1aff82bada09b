namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>
/// Opaque, tamper-evident keyset cursors bound to one list (entity) and one order. Application decodes the client's
/// cursor while it builds the list query, so a bad cursor is a 400 before any database work; the runner encodes the
/// cursors of the page it returns.
/// </summary>
public interface ICursorCodec
{
    string Encode(IQueryModel model, IReadOnlyList<OrderKey> order, IReadOnlyList<object?> values);

    /// <summary>
    /// The boundary row's sort values, converted to each key's type. A forged cursor, one from another list or made
    /// under another order is a <c>ValidationException</c> at <paramref name="field"/> (<c>after</c>/<c>before</c>).
    /// </summary>
    IReadOnlyList<object?> Decode(string cursor, IQueryModel model, IReadOnlyList<OrderKey> order, string field);
}
