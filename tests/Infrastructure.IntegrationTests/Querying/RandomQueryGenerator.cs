using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Abstractions.Querying;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary>Random, valid <c>filter</c> and <c>orderBy</c> JSON for a catalogue, with operands drawn from the data (so rows match) and from hostile text.</summary>
internal sealed class RandomQueryGenerator(Random random, Func<QueryField, IReadOnlyList<object?>> samples)
{
    private static readonly string[] Directions = ["asc", "desc", "asc_nulls_first", "asc_nulls_last", "desc_nulls_first", "desc_nulls_last"];

    public string? Filter(IQueryModel model) => random.Next(6) == 0 ? null : Node(model, 0).ToJsonString();

    public string? OrderBy(IQueryModel model)
    {
        if (random.Next(5) == 0)
        {
            return null;
        }

        var sortable = model.Fields.Values.Where(f => f.Sortable).ToArray();
        var keys = new JsonArray();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var field = sortable[random.Next(sortable.Length)];
            keys.Add(new JsonObject { [field.Name] = Directions[random.Next(Directions.Length)] });
        }

        return keys.ToJsonString();
    }

    private JsonObject Node(IQueryModel model, int depth)
    {
        var roll = random.Next(depth >= 3 ? 6 : 10);
        switch (roll)
        {
            case 6 or 7:
            {
                var key = new[] { "AND", "OR", "and", "or" }[random.Next(4)];
                var items = new JsonArray();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    items.Add(Node(model, depth + 1));
                }

                return new JsonObject { [key] = items };
            }

            case 8:
                return new JsonObject { [random.Next(2) == 0 ? "NOT" : "not"] = Node(model, depth + 1) };
            case 9 when model.Relations.Count > 0:
            {
                var relation = model.Relations.Values.ElementAt(random.Next(model.Relations.Count));
                var inner = Node(relation.Target, depth + 1);
                return new JsonObject
                {
                    [relation.Name] = relation.ToMany ? new JsonObject { [new[] { "some", "every", "none" }[random.Next(3)]] = inner } : inner,
                };
            }

            default:
                return Field(model);
        }
    }

    private JsonObject Field(IQueryModel model)
    {
        var field = model.Fields.Values.ElementAt(random.Next(model.Fields.Count));
        var op = field.Operators[random.Next(field.Operators.Count)];
        if (op == FilterOperator.Eq && random.Next(4) == 0)
        {
            return new JsonObject { [field.Name] = Operand(field, op) };
        }

        return new JsonObject { [field.Name] = new JsonObject { [OperatorName(op)] = Operand(field, op) } };
    }

    private JsonNode? Operand(QueryField field, FilterOperator op)
    {
        switch (op)
        {
            case FilterOperator.IsNull:
                return random.Next(2) == 0;
            case FilterOperator.In or FilterOperator.Nin:
                var list = new JsonArray();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    list.Add(Value(field, op));
                }

                return list;
            default:
                return Value(field, op);
        }
    }

    private JsonNode? Value(QueryField field, FilterOperator op)
    {
        var pool = samples(field).Where(v => v is not null).ToArray();
        var value = pool.Length == 0 || random.Next(8) == 0 ? null : pool[random.Next(pool.Length)];
        switch (field.Type)
        {
            case FieldType.String:
                var text = value as string ?? QueryingDataSet.Words[random.Next(QueryingDataSet.Words.Length)];
                if (op is FilterOperator.Contains or FilterOperator.IContains or FilterOperator.StartsWith or FilterOperator.EndsWith && text.Length > 1)
                {
                    var start = op == FilterOperator.StartsWith ? 0 : random.Next(text.Length - 1);
                    var length = op == FilterOperator.EndsWith ? text.Length - start : random.Next(1, text.Length - start + 1);
                    text = text.Substring(start, length);
                }

                return op == FilterOperator.IContains && random.Next(2) == 0 ? text.ToUpperInvariant() : text;
            case FieldType.Date:
                var date = value is DateTimeOffset d ? d : QueryingDataSet.Epoch.AddMinutes(random.Next(-5, 70));
                return date.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            case FieldType.Number:
                return value is null ? JsonValue.Create(random.Next(-1, 600)) : JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture) is var n && field.ValueType == typeof(double) ? n : Math.Round(n));
            case FieldType.Bool:
                return random.Next(2) == 0;
            default:
                var names = field.EnumValues!.Keys.ToArray();
                return names[random.Next(names.Length)];
        }
    }

    private static string OperatorName(FilterOperator op) => op switch
    {
        FilterOperator.IContains => "icontains",
        FilterOperator.StartsWith => "startsWith",
        FilterOperator.EndsWith => "endsWith",
        FilterOperator.IsNull => "isNull",
        _ => op.ToString().ToLowerInvariant(),
    };
}
