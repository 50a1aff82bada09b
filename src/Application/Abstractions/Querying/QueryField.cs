using System.Linq.Expressions;

namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>The wire type of a field; it decides which operators apply (strings all; numbers and dates comparisons; booleans equality).</summary>
public enum FieldType
{
    String,
    Number,
    Date,
    Bool,
    /// <summary>A CLR enum with wire names (e.g. <c>source</c>: custom | system | openapi-op); equality and lists only.</summary>
    Enum,
}

/// <summary>One filterable/sortable field of an entity: its wire name, type and the selector over the EF entity.</summary>
public sealed class QueryField
{
    private static readonly Dictionary<FieldType, FilterOperator[]> OperatorsByType = new()
    {
        [FieldType.String] = Enum.GetValues<FilterOperator>(),
        [FieldType.Number] = [FilterOperator.Eq, FilterOperator.Neq, FilterOperator.Gt, FilterOperator.Gte, FilterOperator.Lt, FilterOperator.Lte, FilterOperator.In, FilterOperator.Nin, FilterOperator.IsNull],
        [FieldType.Date] = [FilterOperator.Eq, FilterOperator.Neq, FilterOperator.Gt, FilterOperator.Gte, FilterOperator.Lt, FilterOperator.Lte, FilterOperator.In, FilterOperator.Nin, FilterOperator.IsNull],
        [FieldType.Bool] = [FilterOperator.Eq, FilterOperator.Neq, FilterOperator.IsNull],
        [FieldType.Enum] = [FilterOperator.Eq, FilterOperator.Neq, FilterOperator.In, FilterOperator.Nin, FilterOperator.IsNull],
    };

    internal QueryField(string name, FieldType type, LambdaExpression selector, bool nullable, bool sortable, IReadOnlyDictionary<string, object>? enumValues)
    {
        Name = name;
        Type = type;
        Selector = selector;
        Nullable = nullable || System.Nullable.GetUnderlyingType(selector.ReturnType) is not null;
        Sortable = sortable;
        EnumValues = enumValues;
        Operators = OperatorsByType[type];
    }

    public string Name { get; }
    public FieldType Type { get; }
    /// <summary><c>entity =&gt; value</c> over the EF entity; the only way a filter reaches a column.</summary>
    public LambdaExpression Selector { get; }
    public bool Nullable { get; }
    public bool Sortable { get; }
    /// <summary>Wire name → enum value, for <see cref="FieldType.Enum"/>.</summary>
    public IReadOnlyDictionary<string, object>? EnumValues { get; }
    public IReadOnlyList<FilterOperator> Operators { get; }

    /// <summary>The selector's type (e.g. <c>int?</c>).</summary>
    public Type ClrType => Selector.ReturnType;

    /// <summary>The non-nullable value type operands are converted to.</summary>
    public Type ValueType => System.Nullable.GetUnderlyingType(ClrType) ?? ClrType;

    public bool Allows(FilterOperator op) => Operators.Contains(op);

    public override string ToString() => Name;
}

/// <summary>A relation to another entity, joined by keys (no navigation properties): <c>target.TargetKey == source.SourceKey</c>.</summary>
public sealed class QueryRelation
{
    private readonly Func<IQueryModel> _target;

    internal QueryRelation(string name, bool toMany, Type targetType, Func<IQueryModel> target, LambdaExpression sourceKey, LambdaExpression targetKey)
    {
        Name = name;
        ToMany = toMany;
        TargetType = targetType;
        _target = target;
        SourceKey = sourceKey;
        TargetKey = targetKey;
    }

    public string Name { get; }
    public bool ToMany { get; }
    public Type TargetType { get; }
    /// <summary>Resolved lazily: catalogues refer to each other (function ↔ version).</summary>
    public IQueryModel Target => _target();
    public LambdaExpression SourceKey { get; }
    public LambdaExpression TargetKey { get; }

    public override string ToString() => Name;
}
