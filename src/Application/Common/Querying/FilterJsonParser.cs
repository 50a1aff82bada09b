using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>
/// Parses the /api <c>filter</c> JSON (fields, AND/OR/NOT, relations with some/every/none) against a catalogue into a validated <see cref="FilterNode"/>.
/// Every error is a <see cref="ValidationException"/> keyed by the path inside the filter (<c>filter.OR[2].name.icontains</c>).
/// </summary>
public static class FilterJsonParser
{
    private static readonly Dictionary<string, FilterOperator> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = FilterOperator.Eq,
        ["neq"] = FilterOperator.Neq,
        ["gt"] = FilterOperator.Gt,
        ["gte"] = FilterOperator.Gte,
        ["lt"] = FilterOperator.Lt,
        ["lte"] = FilterOperator.Lte,
        ["in"] = FilterOperator.In,
        ["nin"] = FilterOperator.Nin,
        ["contains"] = FilterOperator.Contains,
        ["icontains"] = FilterOperator.IContains,
        ["startsWith"] = FilterOperator.StartsWith,
        ["endsWith"] = FilterOperator.EndsWith,
        ["isNull"] = FilterOperator.IsNull,
    };

    private static readonly Dictionary<string, RelationQuantifier> Quantifiers = new(StringComparer.Ordinal)
    {
        ["some"] = RelationQuantifier.Some,
        ["every"] = RelationQuantifier.Every,
        ["none"] = RelationQuantifier.None,
    };

    /// <summary>Null or blank text means no filter.</summary>
    public static FilterNode? Parse(string? json, IQueryModel model, string path = "filter")
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        if (json.Length > QueryLimits.MaxInputLength)
        {
            throw new ValidationException(path.ToString(), $"The filter is limited to {QueryLimits.MaxInputLength} characters.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new ValidationException(path.ToString(), $"The filter is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var state = new State();
            return ParseFilter(document.RootElement, model, FilterPath.Root(path), 1, state);
        }
    }

    private sealed class State
    {
        public int Nodes { get; private set; }

        public void Count(FilterPath path)
        {
            if (++Nodes > QueryLimits.MaxNodes)
            {
                throw new ValidationException(path.ToString(), $"The filter is limited to {QueryLimits.MaxNodes} nodes.");
            }
        }
    }

    private static FilterNode ParseFilter(JsonElement element, IQueryModel model, FilterPath path, int depth, State state)
    {
        if (depth > QueryLimits.MaxDepth)
        {
            throw new ValidationException(path.ToString(), $"The filter is limited to {QueryLimits.MaxDepth} levels.");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(path.ToString(), "Expected a filter object.");
        }

        var parts = new List<FilterNode>();
        foreach (var property in element.EnumerateObject())
        {
            var keyPath = path.Property(property.Name);
            parts.Add(property.Name switch
            {
                "AND" or "and" => Logical(property.Value, model, keyPath, depth, state, isAnd: true),
                "OR" or "or" => Logical(property.Value, model, keyPath, depth, state, isAnd: false),
                "NOT" or "not" => Not(property.Value, model, keyPath, depth, state),
                _ when model.Fields.TryGetValue(property.Name, out var field) => Field(field, property.Value, keyPath, state),
                _ when model.Relations.TryGetValue(property.Name, out var relation) => Relation(relation, property.Value, keyPath, depth, state),
                _ => throw new ValidationException(keyPath.ToString(), $"Unknown field '{property.Name}' on {model.EntityName}."),
            });
        }

        return parts.Count == 1 ? parts[0] : new AndFilter(parts);
    }

    private static FilterNode Logical(JsonElement value, IQueryModel model, FilterPath path, int depth, State state, bool isAnd)
    {
        state.Count(path);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(path.ToString(), "Expected an array of filters.");
        }

        var operands = new List<FilterNode>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            operands.Add(ParseFilter(item, model, path.Item(index++), depth + 1, state));
        }

        return isAnd ? new AndFilter(operands) : new OrFilter(operands);
    }

    private static NotFilter Not(JsonElement value, IQueryModel model, FilterPath path, int depth, State state)
    {
        state.Count(path);
        return new NotFilter(ParseFilter(value, model, path, depth + 1, state));
    }

    private static FilterNode Relation(QueryRelation relation, JsonElement value, FilterPath path, int depth, State state)
    {
        state.Count(path);
        if (!relation.ToMany)
        {
            return new RelationFilter(relation, RelationQuantifier.Some, ParseFilter(value, relation.Target, path, depth + 1, state));
        }

        if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
        {
            throw new ValidationException(path.ToString(), "Expected { some | every | none: filter }.");
        }

        var parts = new List<FilterNode>();
        foreach (var property in value.EnumerateObject())
        {
            var quantifierPath = path.Property(property.Name);
            if (!Quantifiers.TryGetValue(property.Name, out var quantifier))
            {
                throw new ValidationException(quantifierPath.ToString(), "Expected some, every or none.");
            }

            parts.Add(new RelationFilter(relation, quantifier, ParseFilter(property.Value, relation.Target, quantifierPath, depth + 1, state)));
        }

        return parts.Count == 1 ? parts[0] : new AndFilter(parts);
    }

    private static FilterNode Field(QueryField field, JsonElement value, FilterPath path, State state)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            state.Count(path);
            return value.ValueKind == JsonValueKind.Null
                ? new FieldFilter(field, FilterOperator.IsNull, true)
                : Comparison(field, FilterOperator.Eq, value, path.Property("eq"));
        }

        var parts = new List<FilterNode>();
        foreach (var property in value.EnumerateObject())
        {
            var opPath = path.Property(property.Name);
            state.Count(opPath);
            if (!Operators.TryGetValue(property.Name, out var op))
            {
                throw new ValidationException(opPath.ToString(), $"Unknown operator '{property.Name}'.");
            }

            if (!field.Allows(op))
            {
                throw new ValidationException(opPath.ToString(), $"Operator '{property.Name}' does not apply to {field.Type.ToString().ToLowerInvariant()} field '{field.Name}'.");
            }

            parts.Add(Comparison(field, op, property.Value, opPath));
        }

        if (parts.Count == 0)
        {
            throw new ValidationException(path.ToString(), "Expected at least one operator.");
        }

        return parts.Count == 1 ? parts[0] : new AndFilter(parts);
    }

    private static FieldFilter Comparison(QueryField field, FilterOperator op, JsonElement value, FilterPath path)
    {
        switch (op)
        {
            case FilterOperator.IsNull:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? new FieldFilter(field, op, value.GetBoolean())
                    : throw new ValidationException(path.ToString(), "Expected true or false.");
            case FilterOperator.In or FilterOperator.Nin:
                return new FieldFilter(field, op, List(field, value, path));
            case FilterOperator.Eq or FilterOperator.Neq when value.ValueKind == JsonValueKind.Null:
                // eq null / neq null read as isNull true / false: the only meaningful reading under two-valued nulls.
                return new FieldFilter(field, FilterOperator.IsNull, op == FilterOperator.Eq);
            default:
                var operand = Operand(field, value, path);
                return op == FilterOperator.IContains ? new FieldFilter(field, op, ((string)operand).ToLowerInvariant()) : new FieldFilter(field, op, operand);
        }
    }

    private static object[] List(QueryField field, JsonElement value, FilterPath path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(path.ToString(), "Expected an array.");
        }

        if (value.GetArrayLength() > QueryLimits.MaxListValues)
        {
            throw new ValidationException(path.ToString(), $"Lists are limited to {QueryLimits.MaxListValues} values.");
        }

        var index = 0;
        return [.. value.EnumerateArray().Select(item => Operand(field, item, path.Item(index++)))];
    }

    private static object Operand(QueryField field, JsonElement value, FilterPath path) =>
        OperandConverter.TryConvert(field, value, out var error) ?? throw new ValidationException(path.ToString(), error!);
}
