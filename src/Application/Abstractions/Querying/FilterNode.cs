namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>
/// The validated filter tree both front ends (/api JSON, Appwrite query strings) parse into. Operands are already
/// converted to the field's CLR type, so translators never see wire text.
/// </summary>
public abstract record FilterNode;

public sealed record AndFilter(IReadOnlyList<FilterNode> Operands) : FilterNode;

public sealed record OrFilter(IReadOnlyList<FilterNode> Operands) : FilterNode;

public sealed record NotFilter(FilterNode Operand) : FilterNode;

/// <summary>
/// One comparison. <see cref="Operand"/> is a value of the field's underlying CLR type, an
/// <see cref="IReadOnlyList{T}"/> of such values for <c>in</c>/<c>nin</c>, or a bool for <c>isNull</c>.
/// </summary>
public sealed record FieldFilter(QueryField Field, FilterOperator Operator, object? Operand) : FilterNode;

/// <summary>A predicate over related rows: to-one relations use <see cref="RelationQuantifier.Some"/> (the one related row matches).</summary>
public sealed record RelationFilter(QueryRelation Relation, RelationQuantifier Quantifier, FilterNode Condition) : FilterNode;

public enum FilterOperator
{
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Nin,
    Contains,
    IContains,
    StartsWith,
    EndsWith,
    IsNull,
}

public enum RelationQuantifier
{
    Some,
    Every,
    None,
}
