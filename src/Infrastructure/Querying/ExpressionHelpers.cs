using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace FunctionsPlatform.Infrastructure.Querying;

internal static class ExpressionHelpers
{
    public static readonly Expression True = Expression.Constant(true);
    public static readonly Expression False = Expression.Constant(false);

    /// <summary>The operator method a binary node resolves to, per operand types (null for primitives).</summary>
    private static readonly ConcurrentDictionary<(ExpressionType Kind, Type Left, Type Right), MethodInfo?> OperatorMethods = new();

    /// <summary>
    /// <c>Expression.MakeBinary</c> with the operator method resolved once per operand types: the factory otherwise
    /// searches the types for user-defined operators on every call (~3–4 µs for a <c>DateTimeOffset?</c> comparison or
    /// null test, most of a filter node's cost). The node is the same as the factory's own.
    /// </summary>
    public static BinaryExpression Binary(ExpressionType kind, Expression left, Expression right) =>
        Expression.MakeBinary(kind, left, right, liftToNull: false,
            OperatorMethods.GetOrAdd((kind, left.Type, right.Type), key =>
                Expression.MakeBinary(key.Kind, Expression.Default(key.Left), Expression.Default(key.Right)).Method));

    public static BinaryExpression Equal(Expression left, Expression right) => Binary(ExpressionType.Equal, left, right);

    /// <summary>The selector's body with its parameter replaced by <paramref name="row"/>.</summary>
    public static Expression Bind(LambdaExpression selector, Expression row) =>
        selector.Body is MemberExpression { Expression: ParameterExpression parameter } member && parameter == selector.Parameters[0]
            ? Expression.MakeMemberAccess(row, member.Member) // the common `e => e.Field`: no visitor walk
            : new ParameterReplacer(selector.Parameters[0], row).Visit(selector.Body);

    /// <summary>Combines as a balanced tree, so a 100-value list does not nest 100 deep.</summary>
    public static Expression Combine(IReadOnlyList<Expression> parts, Func<Expression, Expression, Expression> combine, Expression empty)
    {
        if (parts.Count == 0)
        {
            return empty;
        }

        return Split(parts, 0, parts.Count, combine);
    }

    public static Expression And(params Expression[] parts) => Combine(parts, Expression.AndAlso, True);

    public static Expression Or(IReadOnlyList<Expression> parts) => Combine(parts, Expression.OrElse, False);

    public static Expression IsNull(Expression value) =>
        value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null
            ? False
            : Binary(ExpressionType.Equal, value, Expression.Constant(null, value.Type));

    public static Expression IsNotNull(Expression value) =>
        value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null
            ? True
            : Binary(ExpressionType.NotEqual, value, Expression.Constant(null, value.Type));

    private static Expression Split(IReadOnlyList<Expression> parts, int start, int end, Func<Expression, Expression, Expression> combine)
    {
        if (end - start == 1)
        {
            return parts[start];
        }

        var middle = (start + end) / 2;
        return combine(Split(parts, start, middle, combine), Split(parts, middle, end, combine));
    }

    private sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
