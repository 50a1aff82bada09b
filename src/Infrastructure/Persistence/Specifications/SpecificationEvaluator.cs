using FunctionsPlatform.Application.Abstractions.Specifications;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Persistence.Specifications;

/// <summary>Applies a <see cref="Specification{T}"/> to a query: filters flag, criteria, includes, order, paging, tracking.</summary>
public static class SpecificationEvaluator
{
    public static IQueryable<T> Apply<T>(IQueryable<T> query, Specification<T> spec, bool criteriaOnly = false) where T : class
    {
        if (spec.IgnoreQueryFilters)
        {
            query = query.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]);
        }

        query = spec.WhereExpressions.Aggregate(query, (q, criteria) => q.Where(criteria));
        if (criteriaOnly)
        {
            return query;
        }

        query = spec.IncludeStrings.Aggregate(query, (q, path) => q.Include(path));
        query = ApplyOrder(query, spec.OrderExpressions);
        if (spec.Skip is { } skip)
        {
            query = query.Skip(skip);
        }

        if (spec.Take is { } take)
        {
            query = query.Take(take);
        }

        return spec.AsTracking ? query.AsTracking() : query.AsNoTracking();
    }

    public static IQueryable<TResult> Apply<T, TResult>(IQueryable<T> query, Specification<T, TResult> spec) where T : class
    {
        var selector = spec.Selector ?? throw new InvalidOperationException($"{spec.GetType().Name} has no Select.");
        return Apply(query, (Specification<T>)spec).Select(selector);
    }

    private static IQueryable<T> ApplyOrder<T>(IQueryable<T> query, IReadOnlyList<OrderExpression<T>> orders)
    {
        var first = true;
        foreach (var order in orders)
        {
            var method = (first, order.Direction) switch
            {
                (true, SortDirection.Ascending) => nameof(Queryable.OrderBy),
                (true, SortDirection.Descending) => nameof(Queryable.OrderByDescending),
                (false, SortDirection.Ascending) => nameof(Queryable.ThenBy),
                _ => nameof(Queryable.ThenByDescending),
            };
            var call = System.Linq.Expressions.Expression.Call(
                typeof(Queryable), method, [typeof(T), order.KeySelector.ReturnType], query.Expression, System.Linq.Expressions.Expression.Quote(order.KeySelector));
            query = query.Provider.CreateQuery<T>(call);
            first = false;
        }

        return query;
    }
}
