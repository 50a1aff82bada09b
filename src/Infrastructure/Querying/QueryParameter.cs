using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

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
    private static readonly ConcurrentDictionary<Type, (ConstructorInfo Constructor, PropertyInfo Value)> Members = new();

    public static Expression Of(object? value, Type type)
    {
        var (constructor, property) = Members.GetOrAdd(type, t =>
        {
            var holder = typeof(QueryParameter<>).MakeGenericType(t);
            return (holder.GetConstructors().Single(), holder.GetProperty(nameof(QueryParameter<int>.Value))!);
        });
        return Expression.Property(Expression.Constant(constructor.Invoke([value])), property);
    }
}
