using System.Linq.Expressions;
using System.Reflection;
using FunctionsPlatform.Application.Abstractions.Querying;
using static FunctionsPlatform.Infrastructure.Querying.ExpressionHelpers;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// Orders rows by a list of keys (explicit nulls placement) and builds the keyset predicate "rows after this
/// boundary under this order", so any page is a seek rather than an offset.
/// </summary>
internal sealed class KeysetBuilder(ComparisonBuilder comparisons)
{
    private static readonly MethodInfo[] OrderMethods =
    [
        Method(nameof(Queryable.OrderBy)), Method(nameof(Queryable.OrderByDescending)),
        Method(nameof(Queryable.ThenBy)), Method(nameof(Queryable.ThenByDescending)),
    ];

    public IQueryable<T> Order<T>(IQueryable<T> rows, IReadOnlyList<OrderKey> keys)
    {
        var row = Expression.Parameter(typeof(T), "e");
        var expression = rows.Expression;
        var first = true;
        foreach (var key in keys)
        {
            var column = Bind(key.Field.Selector, row);
            // asc puts nulls first and desc last on both providers; other placements sort on a null flag first.
            if (key.Field.Nullable && key.NullsFirst == key.Descending)
            {
                var nullFlag = Expression.Condition(IsNull(column), Expression.Constant(key.NullsFirst ? 0 : 1), Expression.Constant(key.NullsFirst ? 1 : 0));
                expression = Apply(expression, Expression.Lambda(nullFlag, row), descending: false, first);
                first = false;
            }

            expression = Apply(expression, Expression.Lambda(column, row), key.Descending, first);
            first = false;
        }

        return rows.Provider.CreateQuery<T>(expression);
    }

    /// <summary>
    /// Rows strictly after <paramref name="boundary"/> (or at it too, when <paramref name="inclusive"/>) under
    /// <paramref name="keys"/>: OR over i of (keys before i equal) AND (key i after). Pass reversed keys for "before".
    /// </summary>
    public Expression<Func<T, bool>> After<T>(IReadOnlyList<OrderKey> keys, IReadOnlyList<object?> boundary, bool inclusive)
    {
        var row = Expression.Parameter(typeof(T), "e");
        var disjuncts = new List<Expression>();
        var equalPrefix = new List<Expression>();
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var column = Bind(key.Field.Selector, row);
            var value = boundary[i];
            var after = Strictly(column, key, value);
            if (i == keys.Count - 1 && inclusive)
            {
                after = after is null ? EqualOrBothNull(column, value) : Expression.OrElse(after, EqualOrBothNull(column, value));
            }

            if (after is not null)
            {
                disjuncts.Add(And([.. equalPrefix, after]));
            }

            equalPrefix.Add(EqualOrBothNull(column, value));
        }

        var predicate = Or(disjuncts);
        // A plain range on the leading (non-null) key lets the index seek; the OR above alone would scan.
        if (keys.Count > 1 && !keys[0].Field.Nullable && keys[0].Field.ValueType != typeof(bool) && boundary[0] is { } lead)
        {
            var column = Bind(keys[0].Field.Selector, row);
            var bound = comparisons.Compare(column, keys[0].Field, lead, keys[0].Descending ? ExpressionType.LessThanOrEqual : ExpressionType.GreaterThanOrEqual);
            predicate = Expression.AndAlso(bound, predicate);
        }

        return Expression.Lambda<Func<T, bool>>(predicate, row);
    }

    /// <summary>The condition for a row to sort strictly after <paramref name="value"/> on this key; null when none can.</summary>
    private Expression? Strictly(Expression column, OrderKey key, object? value)
    {
        if (value is null)
        {
            return key.NullsFirst && key.Field.Nullable ? IsNotNull(column) : null;
        }

        var greater = comparisons.Compare(column, key.Field, value, key.Descending ? ExpressionType.LessThan : ExpressionType.GreaterThan);
        if (greater is ConstantExpression { Value: false })
        {
            return key.Field.Nullable && !key.NullsFirst ? IsNull(column) : null;
        }

        return key.Field.Nullable && !key.NullsFirst ? Expression.OrElse(greater, IsNull(column)) : greater;
    }

    private Expression EqualOrBothNull(Expression column, object? value) =>
        value is null ? IsNull(column) : comparisons.Equal(column, value);

    private static MethodCallExpression Apply(Expression source, LambdaExpression key, bool descending, bool first)
    {
        var method = OrderMethods[(first ? 0 : 2) + (descending ? 1 : 0)].MakeGenericMethod(key.Parameters[0].Type, key.ReturnType);
        return Expression.Call(method, source, Expression.Quote(key));
    }

    private static MethodInfo Method(string name) =>
        typeof(Queryable).GetMethods().Single(m => m.Name == name && m.GetParameters().Length == 2);
}
