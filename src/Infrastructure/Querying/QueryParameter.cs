using System.Linq.Expressions;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// A closure-like holder: EF turns a member read on a constant object into a SQL parameter, so no operand ever
/// becomes SQL text, and queries differing only in operands share one compiled plan.
/// </summary>
internal sealed class QueryParameter<T>(T value)
{
    public T Value { get; } = value;
}

internal static class QueryParameter
{
    public static Expression Of(object? value, Type type)
    {
        var holder = Activator.CreateInstance(typeof(QueryParameter<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(holder), "Value");
    }
}
