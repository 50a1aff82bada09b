using System.Linq.Expressions;

namespace FunctionsPlatform.Application.Abstractions.Specifications;

public enum SortDirection
{
    Ascending,
    Descending,
}

public sealed record OrderExpression<T>(LambdaExpression KeySelector, SortDirection Direction);

/// <summary>
/// A reusable query over <typeparamref name="T"/> in the shape of Ardalis.Specification: criteria, order, paging,
/// includes and flags, built through <see cref="Query"/>. Infrastructure's evaluator turns it into SQL.
/// </summary>
public class Specification<T> where T : class
{
    private readonly List<Expression<Func<T, bool>>> _where = [];
    private readonly List<OrderExpression<T>> _orderBy = [];
    private readonly List<string> _includes = [];

    public Specification() => Query = new SpecificationBuilder<T>(this);

    public SpecificationBuilder<T> Query { get; }

    public IReadOnlyList<Expression<Func<T, bool>>> WhereExpressions => _where;
    public IReadOnlyList<OrderExpression<T>> OrderExpressions => _orderBy;
    public IReadOnlyList<string> IncludeStrings => _includes;
    public int? Skip { get; internal set; }
    public int? Take { get; internal set; }
    public bool AsTracking { get; internal set; }
    /// <summary>Bypasses the soft-delete query filters (reads by id, include_deleted, purge).</summary>
    public bool IgnoreQueryFilters { get; internal set; }

    internal void AddWhere(Expression<Func<T, bool>> criteria) => _where.Add(criteria);
    internal void AddOrder(OrderExpression<T> order) => _orderBy.Add(order);
    internal void AddInclude(string path) => _includes.Add(path);
}

/// <summary>A specification that also projects each row.</summary>
public class Specification<T, TResult> : Specification<T> where T : class
{
    public Expression<Func<T, TResult>>? Selector { get; private set; }

    public void Select(Expression<Func<T, TResult>> selector) => Selector = selector;
}

public sealed class SpecificationBuilder<T>(Specification<T> spec) where T : class
{
    public SpecificationBuilder<T> Where(Expression<Func<T, bool>> criteria)
    {
        spec.AddWhere(criteria);
        return this;
    }

    public SpecificationBuilder<T> Where(bool condition, Expression<Func<T, bool>> criteria) => condition ? Where(criteria) : this;

    public SpecificationBuilder<T> OrderBy<TKey>(Expression<Func<T, TKey>> key)
    {
        spec.AddOrder(new OrderExpression<T>(key, SortDirection.Ascending));
        return this;
    }

    public SpecificationBuilder<T> OrderByDescending<TKey>(Expression<Func<T, TKey>> key)
    {
        spec.AddOrder(new OrderExpression<T>(key, SortDirection.Descending));
        return this;
    }

    public SpecificationBuilder<T> Include(string navigationPath)
    {
        spec.AddInclude(navigationPath);
        return this;
    }

    public SpecificationBuilder<T> Skip(int skip)
    {
        spec.Skip = skip;
        return this;
    }

    public SpecificationBuilder<T> Take(int take)
    {
        spec.Take = take;
        return this;
    }

    public SpecificationBuilder<T> Tracking()
    {
        spec.AsTracking = true;
        return this;
    }

    public SpecificationBuilder<T> IgnoreQueryFilters()
    {
        spec.IgnoreQueryFilters = true;
        return this;
    }
}
