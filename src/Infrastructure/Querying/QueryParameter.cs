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
    private static readonly ConcurrentDictionary<Type, (Func<object?, object> Create, PropertyInfo Value)> Members = new();

    public static Expression Of(object? value, Type type)
    {
        var (create, property) = Members.GetOrAdd(type, t =>
        {
            // A compiled factory per type: a reflection Invoke per operand costs more than the rest of the node.
            var holder = typeof(QueryParameter<>).MakeGenericType(t);
            var argument = Expression.Parameter(typeof(object), "value");
            var construct = Expression.New(holder.GetConstructors().Single(), Expression.Convert(argument, t));
            return (Expression.Lambda<Func<object?, object>>(construct, argument).Compile(), holder.GetProperty(nameof(QueryParameter<int>.Value))!);
        });
        return Expression.Property(Expression.Constant(create(value)), property);
    }
}
