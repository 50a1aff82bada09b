using System.Linq.Expressions;
using System.Reflection;
using FunctionsPlatform.Application.Abstractions.Querying;
using static FunctionsPlatform.Infrastructure.Querying.ExpressionHelpers;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// Builds one comparison between a column and a parameter. Every comparison is two-valued: a null column satisfies
/// only <c>neq</c>, <c>nin</c> and <c>isNull</c>, because ordered/string comparisons carry an explicit not-null guard
/// (so <c>NOT</c> stays plain negation in SQL too). Strings compare by code point in both modes.
/// </summary>
internal sealed class ComparisonBuilder(QueryTarget target)
{
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo CodePointCompare = typeof(CodePointComparer).GetMethod(nameof(CodePointComparer.CompareStrings))!;
    private static readonly MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo EndsWith = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string)])!;
    private static readonly MethodInfo StartsWithOrdinal = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo EndsWithOrdinal = typeof(string).GetMethod(nameof(string.EndsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo IndexOf = typeof(string).GetMethod(nameof(string.IndexOf), [typeof(string)])!;
    private static readonly MethodInfo Substring = typeof(string).GetMethod(nameof(string.Substring), [typeof(int)])!;
    private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo ToLowerInvariant = typeof(string).GetMethod(nameof(string.ToLowerInvariant), Type.EmptyTypes)!;

    private readonly bool _database = target != QueryTarget.InMemory;

    public Expression Build(Expression column, FieldFilter filter)
    {
        var field = filter.Field;
        return filter.Operator switch
        {
            FilterOperator.IsNull => (bool)filter.Operand! ? IsNull(column) : IsNotNull(column),
            FilterOperator.Eq => Equal(column, filter.Operand!),
            FilterOperator.Neq => Expression.Not(Equal(column, filter.Operand!)),
            FilterOperator.In => InList(column, (IReadOnlyList<object>)filter.Operand!),
            FilterOperator.Nin => Expression.Not(InList(column, (IReadOnlyList<object>)filter.Operand!)),
            FilterOperator.Gt => Compare(column, field, filter.Operand!, ExpressionType.GreaterThan),
            FilterOperator.Gte => Compare(column, field, filter.Operand!, ExpressionType.GreaterThanOrEqual),
            FilterOperator.Lt => Compare(column, field, filter.Operand!, ExpressionType.LessThan),
            FilterOperator.Lte => Compare(column, field, filter.Operand!, ExpressionType.LessThanOrEqual),
            FilterOperator.Contains => Guarded(column, Expression.Call(column, Contains, Parameter(filter.Operand!, typeof(string)))),
            FilterOperator.StartsWith => Guarded(column, StartsWithExpression(column, Parameter(filter.Operand!, typeof(string)))),
            FilterOperator.EndsWith => Guarded(column, EndsWithExpression(column, (string)filter.Operand!)),
            // The operand is lower-cased once by the parser; the column by SQL lower() (Unicode-aware: see SqliteUnicodeFunctions).
            FilterOperator.IContains => Guarded(column, Expression.Call(
                Expression.Call(column, _database ? ToLower : ToLowerInvariant), Contains, Parameter(filter.Operand!, typeof(string)))),
            _ => throw new InvalidOperationException($"Operator {filter.Operator} is not translatable."),
        };
    }

    /// <summary><c>column == value</c>; a null column is never equal (C# and EF's default null semantics agree).</summary>
    public Expression Equal(Expression column, object value)
    {
        var parameter = Parameter(value, column.Type);
        if (column.Type.IsEnum)
        {
            // Mirrors what the C# compiler emits for enum ==, which EF maps through the column's value converter.
            var underlying = Enum.GetUnderlyingType(column.Type);
            return ExpressionHelpers.Equal(Expression.Convert(column, underlying), Expression.Convert(parameter, underlying));
        }

        return ExpressionHelpers.Equal(column, parameter);
    }

    /// <summary>Ordered comparison with a not-null guard; strings by code point, bools as false &lt; true.</summary>
    public Expression Compare(Expression column, QueryField field, object value, ExpressionType comparison)
    {
        if (field.ValueType == typeof(string))
        {
            var compare = Expression.Call(_database ? StringCompare : CodePointCompare, column, Parameter(value, typeof(string)));
            return Guarded(column, Binary(comparison, compare, Expression.Constant(0)));
        }

        if (field.ValueType == typeof(bool))
        {
            return CompareBool(column, (bool)value, comparison);
        }

        return Guarded(column, Binary(comparison, column, Parameter(value, column.Type)));
    }

    private Expression CompareBool(Expression column, bool value, ExpressionType comparison)
    {
        var isTrue = Equal(column, true);
        var isFalse = Equal(column, false);
        return (comparison, value) switch
        {
            (ExpressionType.GreaterThan, false) or (ExpressionType.GreaterThanOrEqual, true) => isTrue,
            (ExpressionType.GreaterThan, true) or (ExpressionType.LessThan, false) => False,
            (ExpressionType.LessThan, true) or (ExpressionType.LessThanOrEqual, false) => isFalse,
            _ => IsNotNull(column),
        };
    }

    /// <summary>
    /// SQLite's LIKE ignores ASCII case, so there a prefix is <c>instr(column, p) = 1</c>; SQL Server gets EF's LIKE with
    /// the parameter escaped (%, _ and [ match themselves) under the binary collation; memory compares ordinally.
    /// </summary>
    private Expression StartsWithExpression(Expression column, Expression value) => target switch
    {
        QueryTarget.InMemory => Expression.Call(column, StartsWithOrdinal, value, Expression.Constant(StringComparison.Ordinal)),
        QueryTarget.Sqlite => Expression.Equal(Expression.Call(column, IndexOf, value), Expression.Constant(0)),
        _ => Expression.Call(column, StartsWith, value),
    };

    /// <summary>
    /// SQLite: <c>length(column) &gt;= n AND substr(column, length(column) - n + 1) = p</c>, where n is p's length in code
    /// points, as SQLite counts (a .NET length would count UTF-16 units).
    /// </summary>
    private Expression EndsWithExpression(Expression column, string operand)
    {
        var value = Parameter(operand, typeof(string));
        switch (target)
        {
            case QueryTarget.InMemory:
                return Expression.Call(column, EndsWithOrdinal, value, Expression.Constant(StringComparison.Ordinal));
            case QueryTarget.Sqlite:
                var columnLength = Expression.Property(column, nameof(string.Length));
                var valueLength = Parameter(operand.EnumerateRunes().Count(), typeof(int));
                return Expression.AndAlso(
                    Expression.GreaterThanOrEqual(columnLength, valueLength),
                    Expression.Equal(Expression.Call(column, Substring, Expression.Subtract(columnLength, valueLength)), value));
            default:
                return Expression.Call(column, EndsWith, value);
        }
    }

    private Expression InList(Expression column, IReadOnlyList<object> values) =>
        Or([.. values.Select(v => Equal(column, v))]);

    private static Expression Guarded(Expression column, Expression comparison) =>
        IsNotNull(column) is ConstantExpression { Value: true } ? comparison : Expression.AndAlso(IsNotNull(column), comparison);

    private static Expression Parameter(object value, Type type) => QueryParameter.Of(value, type);
}
