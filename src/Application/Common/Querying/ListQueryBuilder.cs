using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>
/// Builds the one <see cref="ListQuery{T}"/> a list handler runs, from either query language, checking everything that
/// can be checked without the database (bounds, filter, order, cursor signature). A handler calls it first, so a
/// malformed list is a 400 before any round trip; errors are <see cref="ValidationException"/>s keyed by wire path.
/// </summary>
public sealed class ListQueryBuilder(ICursorCodec cursors)
{
    /// <summary>
    /// /api: <c>filter</c>/<c>orderBy</c> JSON (default order <c>createdAt desc, id desc</c>), keyset paging by
    /// <c>after</c>/<c>before</c> cursor, <c>total</c> capped or exact. An empty cursor parameter means none.
    /// </summary>
    public ListQuery<T> FromApi<T>(QueryModel<T> model, ListRequest request) where T : class
    {
        var violations = ApiListRules.Violations(request).ToList();
        if (violations.Count > 0)
        {
            throw new ValidationException(violations.GroupBy(v => v.Field).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray()));
        }

        var filter = FilterJsonParser.Parse(request.Filter, model);
        var order = OrderByJsonParser.Parse(request.OrderBy, model);
        var before = string.IsNullOrEmpty(request.Before) ? null : request.Before;
        var cursor = string.IsNullOrEmpty(request.After) ? before : request.After;
        var paging = cursor is null
            ? KeysetPaging.First
            : new KeysetPaging(cursors.Decode(cursor, model, order, before is null ? "after" : "before"), Forward: before is null);
        return new ListQuery<T>(model, filter, order, paging, request.Limit, request.Total == TotalMode.Exact ? ListTotal.Exact : ListTotal.Capped);
    }

    /// <summary>
    /// Appwrite: <c>queries[]</c> checked against the list's attribute allow-list, <c>limit</c> (default 25),
    /// <c>offset</c> or <c>cursorAfter</c>/<c>cursorBefore</c> by row id (the runner looks the row up), and
    /// <c>total</c> counted up to Appwrite's 5,000 or, with <paramref name="total"/> false, not at all.
    /// </summary>
    public ListQuery<T> FromAppwrite<T>(AppwriteAttributes attributes, IReadOnlyList<string>? queries, bool total = true) where T : class
    {
        if (attributes.Model.EntityType != typeof(T))
        {
            throw new ArgumentException($"The attributes describe {attributes.Model.EntityName}, not {typeof(T).Name}.", nameof(attributes));
        }

        var parsed = AppwriteQueryParser.Parse(queries, attributes);
        var offset = parsed.Offset ?? 0;
        ListPaging paging = (parsed.CursorAfter ?? parsed.CursorBefore) is { } rowId
            ? new RowCursorPaging(rowId, Forward: parsed.CursorAfter is not null, offset)
            : new OffsetPaging(offset);
        return new ListQuery<T>(
            attributes.Model,
            parsed.Filter,
            parsed.Order,
            paging,
            parsed.Limit ?? AppwriteQueryParser.DefaultLimit,
            total ? new CountUpTo(AppwriteQueryParser.MaxTotal) : ListTotal.Skipped)
        {
            Select = parsed.Select,
        };
    }
}
