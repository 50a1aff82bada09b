using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Infrastructure.Persistence.Specifications;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Persistence;

/// <summary>Stand-in until the filter/orderBy translator lands: default order, offset cursors, no filter.</summary>
internal sealed class InterimListQueryRunner(AppDbContext db) : IListQueryRunner
{
    public async Task<Page<T>> RunAsync<T>(Specification<T> scope, ListRequest request, CancellationToken ct = default) where T : class
    {
        if (request.Filter is not null || request.OrderBy is not null)
        {
            throw new ValidationException("filter", "filter and orderBy are not supported yet.");
        }

        var query = SpecificationEvaluator.Apply(db.Set<T>(), scope, criteriaOnly: true).AsNoTracking();
        var total = await query.LongCountAsync(ct);
        var ordered = query.OrderByDescending(e => EF.Property<DateTimeOffset>(e, "CreatedAt")).ThenByDescending(e => EF.Property<string>(e, "Id"));
        var offset = ParseCursor(request.After, "after") ?? Math.Max(0, (ParseCursor(request.Before, "before") ?? 0) - request.Limit);
        var rows = await ordered.Skip(offset).Take(request.Limit + 1).ToListAsync(ct);
        var hasNext = rows.Count > request.Limit;
        var items = rows.Take(request.Limit).ToList();
        return new Page<T>(items, new PageInfo(total, hasNext, offset > 0, items.Count > 0 ? (offset).ToString() : null, items.Count > 0 ? (offset + items.Count).ToString() : null));
    }

    private static int? ParseCursor(string? cursor, string field) =>
        cursor is null ? null : int.TryParse(cursor, out var value) && value >= 0 ? value : throw new ValidationException(field, "Invalid cursor.");
}
