using System.Linq.Expressions;

namespace FunctionsPlatform.Infrastructure.Querying;

internal static class ExpressionHelpers
{
    public static readonly Expression True = Expression.Constant(true);
    public static readonly Expression False = Expression.Constant(false);

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
            : Expression.Equal(value, Expression.Constant(null, value.Type));

    public static Expression IsNotNull(Expression value) =>
        value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null
            ? True
            : Expression.NotEqual(value, Expression.Constant(null, value.Type));

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
