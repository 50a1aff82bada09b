using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Persistence.Specifications;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// Runs a validated <see cref="ListQuery{T}"/> on EF: scope (specifications) → filter → order → a page of
/// <c>limit + 1</c> rows found by keyset (an /api cursor's values or an Appwrite cursor row's), by offset, or both.
/// Both page flags are exact; <c>total</c>: see <see cref="TotalAsync"/>.
/// </summary>
internal sealed class EfListQueryRunner(AppDbContext db, ICursorCodec cursors, ListTotalOptions totals) : IListQueryRunner
{
    private static readonly ConcurrentDictionary<QueryField, Func<object, object?>> Getters = new();

    public async Task<Page<T>> RunAsync<T>(ListQuery<T> query, CancellationToken ct = default) where T : class
    {
        var page = Prepare(query);
        SqliteUnicodeFunctions.EnsureRegistered(db);
        var (boundary, forward, skip) = query.Paging switch
        {
            KeysetPaging keyset => (keyset.Boundary, keyset.Forward, 0),
            RowCursorPaging cursor => (await CursorRowValuesAsync(page, query, cursor.RowId, ct), cursor.Forward, cursor.Offset),
            OffsetPaging offset => (null, true, offset.Offset),
            _ => throw new InvalidOperationException($"Unknown paging {query.Paging}."),
        };

        var rows = await page.Rows(boundary, forward, skip).ToListAsync(ct);
        var more = rows.Count > query.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (!forward)
        {
            rows.Reverse();
        }

        var (total, exact) = boundary is null && skip == 0 && !more && query.Total is not NotCounted
            ? (rows.Count, true) // a first page that holds the whole filtered set is its own count
            : await TotalAsync(page, query, ct);
        var behind = await RowsBehindAsync(page, query, rows, boundary, forward, skip, ct);

        // Cursors are keyset values under this order: only /api pages them; Appwrite clients page by row id.
        var keysetCursors = query.Paging is KeysetPaging && rows.Count > 0;
        var pageInfo = new PageInfo(
            total,
            HasNextPage: forward ? more : behind,
            HasPreviousPage: forward ? behind : more,
            StartCursor: keysetCursors ? Encode(query, rows[0]) : null,
            EndCursor: keysetCursors ? Encode(query, rows[^1]) : null,
            TotalExact: exact);
        return new Page<T>(rows, pageInfo);
    }

    /// <summary>The page's rows as one query (no database work yet): what <see cref="RunAsync{T}"/> fetches, for plan tests.</summary>
    internal IQueryable<T> PageQuery<T>(ListQuery<T> query, IReadOnlyList<object?>? boundary, bool forward, int skip) where T : class =>
        Prepare(query).Rows(boundary, forward, skip);

    private PageSource<T> Prepare<T>(ListQuery<T> query) where T : class
    {
        if (query.Scope.Count == 0)
        {
            throw new InvalidOperationException("A list runs within a scope: the handler passes the rows the caller may see through ListQuery.Within.");
        }

        if (query.Model.EntityType != typeof(T))
        {
            throw new InvalidOperationException($"The list of {typeof(T).Name} was built against the {query.Model.EntityName} catalogue.");
        }

        var translator = new FilterTranslator(new DbSetRelationSource(db));
        var scoped = query.Scope.Select(ApplyScope).ToList();
        var predicate = query.Filter is null ? null : translator.Translate<T>(query.Filter);
        var filtered = predicate is null ? scoped : [.. scoped.Select(part => part.Where(predicate))];
        return new PageSource<T>(scoped, filtered, query, translator);
    }

    /// <summary>
    /// The sort values of an Appwrite cursor row, looked up in the scope (not the filter: a cursor may sit on a row the
    /// filter leaves out, as in Appwrite). A row outside it is <c>general_cursor_not_found</c>.
    /// </summary>
    private async Task<IReadOnlyList<object?>> CursorRowValuesAsync<T>(PageSource<T> page, ListQuery<T> query, string rowId, CancellationToken ct) where T : class
    {
        var row = Expression.Parameter(typeof(T), "e");
        var isCursor = Expression.Lambda<Func<T, bool>>(
            page.Translator.Comparisons.Equal(ExpressionHelpers.Bind(query.Model.Id.Selector, row), rowId), row);
        foreach (var part in page.Scoped)
        {
            if (await part.FirstOrDefaultAsync(isCursor, ct) is { } found)
            {
                return [.. query.Order.Select(k => Getter(k.Field)(found))];
            }
        }

        var entity = query.Model.EntityName;
        throw new ValidationException(
            "queries",
            $"{char.ToUpper(entity[0], CultureInfo.InvariantCulture)}{entity[1..]} '{rowId}' for the 'cursor' value not found.",
            "general_cursor_not_found");
    }

    /// <summary>
    /// Whether rows sit on the far side of the page from its direction of travel. After a keyset boundary: the boundary
    /// row itself (if it still exists) or anything beyond it. With an offset: rows before the first one returned, or
    /// (an empty page past the end) any row that was skipped.
    /// </summary>
    private static async Task<bool> RowsBehindAsync<T>(
        PageSource<T> page, ListQuery<T> query, List<T> rows, IReadOnlyList<object?>? boundary, bool forward, int skip, CancellationToken ct) where T : class
    {
        if (skip > 0)
        {
            if (rows.Count > 0)
            {
                return true; // the skipped rows precede the page
            }

            return await page.AnyAsync(boundary is null ? null : page.Keyset.After<T>(forward ? query.Order : Reverse(query.Order), boundary, inclusive: false), ct)
                || (boundary is not null && await page.AnyAsync(page.Keyset.After<T>(forward ? Reverse(query.Order) : query.Order, boundary, inclusive: true), ct));
        }

        return boundary is not null
            && await page.AnyAsync(page.Keyset.After<T>(forward ? Reverse(query.Order) : query.Order, boundary, inclusive: true), ct);
    }

    /// <summary>
    /// An exact count of a large filtered set walks every matching index entry (≈ 80 ms per million rows on SQLite,
    /// and a per-row callback for <c>icontains</c>), whatever the page costs. So: a known total (a maintained counter)
    /// is taken as is; <see cref="CountAll"/> counts everything (relations as key sets, cheaper for a full walk);
    /// <see cref="CountUpTo"/> stops after its cap (default <see cref="ListTotalOptions.Cap"/>) and reports the cap as
    /// not exact. The parts are disjoint, so their counts add up.
    /// </summary>
    private async Task<(long Total, bool Exact)> TotalAsync<T>(PageSource<T> page, ListQuery<T> query, CancellationToken ct) where T : class
    {
        switch (query.Total)
        {
            case NotCounted:
                return (0, false);
            case KnownTotal known:
                return (known.Total, true);
            case CountAll:
                var predicate = query.Filter is null ? null : page.Translator.Translate<T>(query.Filter, RelationForm.KeySet);
                long all = 0;
                foreach (var part in page.Scoped)
                {
                    all += await (predicate is null ? part : part.Where(predicate)).LongCountAsync(ct);
                }

                return (all, true);
        }

        var cap = (query.Total as CountUpTo)?.Cap ?? totals.Cap;
        long counted = 0;
        foreach (var part in page.Filtered)
        {
            counted += await part.Take(cap + 1 - (int)counted).LongCountAsync(ct);
            if (counted > cap)
            {
                return (cap, false);
            }
        }

        return (counted, true);
    }

    /// <summary>The scope's criteria and its query-filter flag (soft delete); its own order and paging are superseded.</summary>
    private IQueryable<T> ApplyScope<T>(Specification<T> scope) where T : class
    {
        var rows = SpecificationEvaluator.Apply(db.Set<T>(), scope, criteriaOnly: true);
        return scope.AsTracking ? rows : rows.AsNoTracking();
    }

    private static OrderKey[] Reverse(IReadOnlyList<OrderKey> order) => [.. order.Select(k => k.Reversed())];

    private string Encode<T>(ListQuery<T> query, T row) where T : class =>
        cursors.Encode(query.Model, query.Order, [.. query.Order.Select(k => Getter(k.Field)(row))]);

    internal static Func<object, object?> Getter(QueryField field) => Getters.GetOrAdd(field, f =>
    {
        var row = Expression.Parameter(typeof(object), "row");
        var body = ExpressionHelpers.Bind(f.Selector, Expression.Convert(row, f.Selector.Parameters[0].Type));
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(body, typeof(object)), row).Compile();
    });

    /// <summary>The scoped and filtered parts of one list and how a page is cut from them.</summary>
    private sealed class PageSource<T>(List<IQueryable<T>> scoped, List<IQueryable<T>> filtered, ListQuery<T> query, FilterTranslator translator) where T : class
    {
        private readonly KeysetBuilder _keyset = new(translator.Comparisons);

        public List<IQueryable<T>> Scoped => scoped;
        public List<IQueryable<T>> Filtered => filtered;
        public FilterTranslator Translator => translator;
        public KeysetBuilder Keyset => _keyset;

        /// <summary>
        /// <c>limit + 1</c> rows after the boundary (if any), past <paramref name="skip"/> rows. A before-page is the
        /// first rows of the reversed order, turned back round by the caller. Each part is sought and cut on its own
        /// (to <c>skip + limit + 1</c>), then the union is ordered and cut again.
        /// </summary>
        public IQueryable<T> Rows(IReadOnlyList<object?>? boundary, bool forward, int skip)
        {
            var order = forward ? query.Order : Reverse(query.Order);
            var take = query.Limit + 1;
            var parts = filtered.Select(part => _keyset.Order(boundary is null ? part : part.Where(_keyset.After<T>(order, boundary, inclusive: false)), order)).ToList();
            if (parts.Count == 1)
            {
                return skip == 0 ? parts[0].Take(take) : parts[0].Skip(skip).Take(take);
            }

            var merged = _keyset.Order(parts.Select(part => part.Take(skip + take)).Aggregate(Queryable.Concat), order);
            return skip == 0 ? merged.Take(take) : merged.Skip(skip).Take(take);
        }

        public async Task<bool> AnyAsync(Expression<Func<T, bool>>? predicate, CancellationToken ct)
        {
            foreach (var part in filtered)
            {
                if (predicate is null ? await part.AnyAsync(ct) : await part.AnyAsync(predicate, ct))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
