using System.Linq.Expressions;
using System.Reflection;
using FunctionsPlatform.Application.Abstractions.Querying;
using static FunctionsPlatform.Infrastructure.Querying.ExpressionHelpers;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>The SQL shape of a relation predicate.</summary>
public enum RelationForm
{
    /// <summary>
    /// A correlated <c>EXISTS</c> probing the related index once per candidate row: pages and bounded counts stop
    /// early, so they only probe the rows they visit.
    /// </summary>
    Correlated,

    /// <summary>
    /// <c>key IN (SELECT targetKey …)</c>: SQLite builds the related key set once, which is cheaper when every row is
    /// visited anyway (an exact count over the whole set: 5× faster than per-row probes at 1M rows).
    /// </summary>
    KeySet,
}

/// <summary>
/// Translates a validated <see cref="FilterNode"/> into a LINQ predicate over the entity. Relations become correlated
/// <c>Any</c> subqueries over the rows the <see cref="IRelationSource"/> supplies (no navigation properties needed).
/// </summary>
public sealed class FilterTranslator(IRelationSource relations)
{
    private static readonly MethodInfo QueryableWhere = Generic(typeof(Queryable), nameof(Queryable.Where), 2, typeof(Func<,>));
    private static readonly MethodInfo EnumerableWhere = Generic(typeof(Enumerable), nameof(Enumerable.Where), 2, typeof(Func<,>));
    private static readonly MethodInfo QueryableSelect = Generic(typeof(Queryable), nameof(Queryable.Select), 2, typeof(Func<,>));
    private static readonly MethodInfo EnumerableSelect = Generic(typeof(Enumerable), nameof(Enumerable.Select), 2, typeof(Func<,>));
    private static readonly MethodInfo QueryableContains = Generic(typeof(Queryable), nameof(Queryable.Contains), 2, null);
    private static readonly MethodInfo EnumerableContains = Generic(typeof(Enumerable), nameof(Enumerable.Contains), 2, null);
    private static readonly MethodInfo QueryableAny = Generic(typeof(Queryable), nameof(Queryable.Any), 2, typeof(Func<,>));
    private static readonly MethodInfo EnumerableAny = Generic(typeof(Enumerable), nameof(Enumerable.Any), 2, typeof(Func<,>));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(MethodInfo Definition, Type First, Type? Second), MethodInfo> GenericMethods = new();

    private readonly ComparisonBuilder _comparisons = new(relations.Target);

    public IRelationSource Relations => relations;

    internal ComparisonBuilder Comparisons => _comparisons;

    /// <param name="relationForm">How relation predicates reach the related rows; the rows selected are the same either way.</param>
    public Expression<Func<T, bool>> Translate<T>(FilterNode filter, RelationForm relationForm = RelationForm.Correlated)
    {
        var row = Expression.Parameter(typeof(T), "e");
        return Expression.Lambda<Func<T, bool>>(Build(filter, row, 0, relationForm), row);
    }

    private Expression Build(FilterNode node, ParameterExpression row, int depth, RelationForm form) => node switch
    {
        AndFilter and => Combine([.. and.Operands.Select(o => Build(o, row, depth, form))], Expression.AndAlso, True),
        OrFilter or => Combine([.. or.Operands.Select(o => Build(o, row, depth, form))], Expression.OrElse, False),
        NotFilter not => Expression.Not(Build(not.Operand, row, depth, form)),
        FieldFilter field => _comparisons.Build(Bind(field.Field.Selector, row), field),
        RelationFilter relation => Relation(relation, row, depth, form),
        _ => throw new InvalidOperationException($"Unknown filter node {node.GetType().Name}."),
    };

    /// <summary>
    /// some: a related row matches; none: no related row matches; every: no related row fails (true when there are
    /// none). A null source key matches nothing. See <see cref="RelationForm"/> for the two SQL shapes.
    /// </summary>
    private BinaryExpression Relation(RelationFilter filter, ParameterExpression row, int depth, RelationForm form)
    {
        var relation = filter.Relation;
        var related = Expression.Parameter(relation.TargetType, $"r{depth}");
        var condition = Build(filter.Condition, related, depth + 1, form);
        if (filter.Quantifier == RelationQuantifier.Every)
        {
            condition = Expression.Not(condition);
        }

        var sourceKey = Bind(relation.SourceKey, row);
        var matches = form == RelationForm.KeySet
            ? Expression.Call(Method(relations.IsDatabase ? QueryableContains : EnumerableContains, typeof(string)),
                RelatedKeys(relation, Expression.Lambda(condition, related)), sourceKey)
            : AnyRelated(relation, related, Expression.AndAlso(Equal(Bind(relation.TargetKey, related), sourceKey), condition));
        return filter.Quantifier == RelationQuantifier.Some
            ? Expression.AndAlso(IsNotNull(sourceKey), matches)
            : Expression.OrElse(IsNull(sourceKey), Expression.Not(matches));
    }

    /// <summary><c>rows.Any(predicate)</c> over the relation's rows (SQL or memory).</summary>
    private MethodCallExpression AnyRelated(QueryRelation relation, ParameterExpression related, Expression predicate)
    {
        var rows = relations.RowsOf(relation.TargetType);
        var lambda = Expression.Lambda(predicate, related);
        return relations.IsDatabase
            ? Expression.Call(Method(QueryableAny, relation.TargetType), rows, Expression.Quote(lambda))
            : Expression.Call(Method(EnumerableAny, relation.TargetType), rows, lambda);
    }

    /// <summary><c>rows.Where(predicate).Select(targetKey)</c> over the relation's rows (SQL or memory).</summary>
    private MethodCallExpression RelatedKeys(QueryRelation relation, LambdaExpression predicate)
    {
        var rows = relations.RowsOf(relation.TargetType);
        var database = relations.IsDatabase;
        var where = Expression.Call(Method(database ? QueryableWhere : EnumerableWhere, relation.TargetType), rows,
            database ? Expression.Quote(predicate) : predicate);
        return Expression.Call(Method(database ? QueryableSelect : EnumerableSelect, relation.TargetType, typeof(string)), where,
            database ? Expression.Quote(relation.TargetKey) : relation.TargetKey);
    }

    private static MethodInfo Method(MethodInfo definition, params Type[] types) =>
        GenericMethods.GetOrAdd((definition, types[0], types.Length > 1 ? types[1] : null), key => key.Definition.MakeGenericMethod(types));

    /// <summary>The overload with <paramref name="parameters"/> parameters whose second one is an expression/func of <paramref name="delegateType"/> (two type arguments).</summary>
    private static MethodInfo Generic(Type owner, string name, int parameters, Type? delegateType) =>
        owner.GetMethods().Single(m =>
        {
            if (m.Name != name || m.GetParameters().Length != parameters)
            {
                return false;
            }

            if (delegateType is null)
            {
                return true;
            }

            var second = m.GetParameters()[1].ParameterType;
            var func = second.IsGenericType && second.GetGenericTypeDefinition() == typeof(System.Linq.Expressions.Expression<>) ? second.GetGenericArguments()[0] : second;
            return func.IsGenericType && func.GetGenericTypeDefinition() == delegateType;
        });
}
