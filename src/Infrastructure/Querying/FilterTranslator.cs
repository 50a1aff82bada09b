using System.Linq.Expressions;
using System.Reflection;
using FunctionsPlatform.Application.Abstractions.Querying;
using static FunctionsPlatform.Infrastructure.Querying.ExpressionHelpers;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// Translates a validated <see cref="FilterNode"/> into a LINQ predicate over the entity. Relations become correlated
/// <c>Any</c> subqueries over the rows the <see cref="IRelationSource"/> supplies (no navigation properties needed).
/// </summary>
public sealed class FilterTranslator(IRelationSource relations)
{
    private static readonly MethodInfo QueryableAny = typeof(Queryable).GetMethods()
        .Single(m => m.Name == nameof(Queryable.Any) && m.GetParameters().Length == 2);
    private static readonly MethodInfo EnumerableAny = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Any) && m.GetParameters().Length == 2);

    private readonly ComparisonBuilder _comparisons = new(relations.Target);

    public IRelationSource Relations => relations;

    internal ComparisonBuilder Comparisons => _comparisons;

    public Expression<Func<T, bool>> Translate<T>(FilterNode filter)
    {
        var row = Expression.Parameter(typeof(T), "e");
        return Expression.Lambda<Func<T, bool>>(Build(filter, row, 0), row);
    }

    private Expression Build(FilterNode node, ParameterExpression row, int depth) => node switch
    {
        AndFilter and => Combine([.. and.Operands.Select(o => Build(o, row, depth))], Expression.AndAlso, True),
        OrFilter or => Combine([.. or.Operands.Select(o => Build(o, row, depth))], Expression.OrElse, False),
        NotFilter not => Expression.Not(Build(not.Operand, row, depth)),
        FieldFilter field => _comparisons.Build(Bind(field.Field.Selector, row), field),
        RelationFilter relation => Relation(relation, row, depth),
        _ => throw new InvalidOperationException($"Unknown filter node {node.GetType().Name}."),
    };

    /// <summary>some: ∃ related ∧ cond; none: ¬∃ related ∧ cond; every: ¬∃ related ∧ ¬cond (true when there are none).</summary>
    private Expression Relation(RelationFilter filter, ParameterExpression row, int depth)
    {
        var relation = filter.Relation;
        var related = Expression.Parameter(relation.TargetType, $"r{depth}");
        var join = Expression.Equal(Bind(relation.TargetKey, related), Bind(relation.SourceKey, row));
        var condition = Build(filter.Condition, related, depth + 1);
        if (filter.Quantifier == RelationQuantifier.Every)
        {
            condition = Expression.Not(condition);
        }

        var any = Any(relation.TargetType, Expression.Lambda(Expression.AndAlso(join, condition), related));
        return filter.Quantifier == RelationQuantifier.Some ? any : Expression.Not(any);
    }

    private MethodCallExpression Any(Type type, LambdaExpression predicate) => relations.IsDatabase
        ? Expression.Call(QueryableAny.MakeGenericMethod(type), relations.RowsOf(type), Expression.Quote(predicate))
        : Expression.Call(EnumerableAny.MakeGenericMethod(type), relations.RowsOf(type), predicate);
}
