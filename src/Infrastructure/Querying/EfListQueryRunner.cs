using System.Collections.Concurrent;
using System.Linq.Expressions;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Infrastructure.Persistence;
using FunctionsPlatform.Infrastructure.Persistence.Specifications;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// Runs an /api list on EF: scope (specification) → filter → order → keyset page of <c>limit + 1</c> rows.
/// The flag for the side the page did not fetch beyond comes from an existence query at the cursor, so both flags are
/// exact. <c>total</c>: see <see cref="TotalAsync"/>.
/// </summary>
internal sealed class EfListQueryRunner(AppDbContext db, CursorCodec cursors, ListTotalOptions totals) : IListQueryRunner
{
    private static readonly ConcurrentDictionary<QueryField, Func<object, object?>> Getters = new();

    public Task<Page<T>> RunAsync<T>(Specification<T> scope, ListRequest request, CancellationToken ct = default) where T : class =>
        RunAsync([scope], request, unfilteredTotal: null, ct);

    public Task<Page<T>> RunAsync<T>(Specification<T> scope, ListRequest request, Func<CancellationToken, Task<long>>? unfilteredTotal, CancellationToken ct = default)
        where T : class =>
        RunAsync([scope], request, unfilteredTotal, ct);

    public async Task<Page<T>> RunAsync<T>(IReadOnlyList<Specification<T>> scopeParts, ListRequest request, Func<CancellationToken, Task<long>>? unfilteredTotal,
        CancellationToken ct = default)
        where T : class
    {
        var model = QueryModels.For<T>();
        var query = ListQueryParser.Parse(request, model);
        var translator = new FilterTranslator(new DbSetRelationSource(db));
        var keyset = new KeysetBuilder(translator.Comparisons);
        var forward = query.Before is null;
        var cursor = query.After ?? query.Before;
        var boundary = cursor is null ? null : cursors.Decode(cursor, model, query.Order, forward ? "after" : "before");

        SqliteUnicodeFunctions.EnsureRegistered(db);
        var scoped = scopeParts.Select(ApplyScope).ToList();
        var predicate = query.Filter is null ? null : translator.Translate<T>(query.Filter);
        var filtered = predicate is null ? scoped : [.. scoped.Select(part => part.Where(predicate))];

        // A before-page is the first rows of the reversed order after the cursor, turned back round. Each part is
        // sought and cut on its own, then the union is ordered and cut again.
        var order = forward ? query.Order : [.. query.Order.Select(k => k.Reversed())];
        var pages = filtered.Select(part => keyset.Order(boundary is null ? part : part.Where(keyset.After<T>(order, boundary, inclusive: false)), order).Take(query.Limit + 1)).ToList();
        var page = pages.Count == 1 ? pages[0] : keyset.Order(pages.Aggregate(Queryable.Concat), order).Take(query.Limit + 1);
        var rows = await page.ToListAsync(ct);
        var more = rows.Count > query.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (!forward)
        {
            rows.Reverse();
        }

        var (total, exact) = boundary is null && !more
            ? (rows.Count, true) // a first page that holds the whole filtered set is its own count
            : await TotalAsync(scoped, filtered, query.Filter, request.Total, unfilteredTotal, translator, ct);

        // Rows on the far side of the cursor: the cursor row itself (if it still exists) or anything beyond it.
        var behind = false;
        if (boundary is not null)
        {
            var beyond = keyset.After<T>(forward ? Reverse(query.Order) : query.Order, boundary, inclusive: true);
            foreach (var part in filtered)
            {
                if (behind = await part.AnyAsync(beyond, ct))
                {
                    break;
                }
            }
        }

        var pageInfo = new PageInfo(
            total,
            HasNextPage: forward ? more : behind,
            HasPreviousPage: forward ? behind : more,
            StartCursor: rows.Count == 0 ? null : Encode(model, query.Order, rows[0]),
            EndCursor: rows.Count == 0 ? null : Encode(model, query.Order, rows[^1]),
            TotalExact: exact);
        return new Page<T>(rows, pageInfo);
    }

    /// <summary>
    /// An exact count of a large filtered set walks every matching index entry (≈ 80 ms per million rows on SQLite,
    /// and a per-row callback for <c>icontains</c>), whatever the page costs. So: unfiltered lists take the maintained
    /// counter; <see cref="TotalMode.Exact"/> counts everything (relations as key sets, cheaper for a full walk);
    /// otherwise counting stops after <see cref="ListTotalOptions.Cap"/> rows and reports the cap as not exact.
    /// The parts are disjoint, so their counts add up.
    /// </summary>
    private async Task<(long Total, bool Exact)> TotalAsync<T>(
        List<IQueryable<T>> scoped, List<IQueryable<T>> filtered, FilterNode? filter, TotalMode mode,
        Func<CancellationToken, Task<long>>? unfilteredTotal, FilterTranslator translator, CancellationToken ct)
    {
        if (filter is null && unfilteredTotal is not null)
        {
            return (await unfilteredTotal(ct), true);
        }

        long counted = 0;
        if (mode == TotalMode.Exact)
        {
            var predicate = filter is null ? null : translator.Translate<T>(filter, RelationForm.KeySet);
            foreach (var part in scoped)
            {
                counted += await (predicate is null ? part : part.Where(predicate)).LongCountAsync(ct);
            }

            return (counted, true);
        }

        foreach (var part in filtered)
        {
            counted += await part.Take(totals.Cap + 1 - (int)counted).LongCountAsync(ct);
            if (counted > totals.Cap)
            {
                return (totals.Cap, false);
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

    private string Encode<T>(IQueryModel model, IReadOnlyList<OrderKey> order, T row) where T : class =>
        cursors.Encode(model, order, [.. order.Select(k => Getter(k.Field)(row))]);

    internal static Func<object, object?> Getter(QueryField field) => Getters.GetOrAdd(field, f =>
    {
        var row = Expression.Parameter(typeof(object), "row");
        var body = ExpressionHelpers.Bind(f.Selector, Expression.Convert(row, f.Selector.Parameters[0].Type));
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(body, typeof(object)), row).Compile();
    });
}
