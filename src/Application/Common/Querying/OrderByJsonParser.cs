using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>Parses <c>orderBy</c> (<c>[{ "name": "asc" }, …]</c>) and completes it with the id tie-breaker.</summary>
public static class OrderByJsonParser
{
    private static readonly Dictionary<string, (bool Descending, bool NullsFirst)> Directions = new(StringComparer.Ordinal)
    {
        ["asc"] = (false, true),
        ["desc"] = (true, false),
        ["asc_nulls_first"] = (false, true),
        ["asc_nulls_last"] = (false, false),
        ["desc_nulls_first"] = (true, true),
        ["desc_nulls_last"] = (true, false),
    };

    public static IReadOnlyList<OrderKey> Parse(string? json, IQueryModel model, string path = "orderBy")
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Complete([], model);
        }

        if (json.Length > QueryLimits.MaxInputLength)
        {
            throw new ValidationException(path, "The order is too long.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new ValidationException(path, $"The order is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new ValidationException(path, "Expected an array of { field: direction }.");
            }

            if (root.GetArrayLength() > QueryLimits.MaxOrderKeys)
            {
                throw new ValidationException(path, $"At most {QueryLimits.MaxOrderKeys} sort keys.");
            }

            var keys = new List<OrderKey>();
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                keys.Add(ParseKey(item, model, $"{path}[{index++}]"));
            }

            return Complete(keys, model);
        }
    }

    public static OrderKey Key(QueryField field, string direction, string path)
    {
        if (!field.Sortable)
        {
            throw new ValidationException(path, $"'{field.Name}' is not sortable.");
        }

        return Directions.TryGetValue(direction, out var d)
            ? new OrderKey(field, d.Descending, d.NullsFirst)
            : throw new ValidationException(path, "Direction must be asc, desc, asc_nulls_first, asc_nulls_last, desc_nulls_first or desc_nulls_last.");
    }

    /// <summary>
    /// Default <c>createdAt desc, id desc</c>; otherwise the keys up to the first id, then the id in the direction of
    /// the last key, so every order is total and keyset pages are exact.
    /// </summary>
    public static IReadOnlyList<OrderKey> Complete(IReadOnlyList<OrderKey> keys, IQueryModel model)
    {
        if (keys.Count == 0)
        {
            return [OrderKey.Desc(model.CreatedAt), OrderKey.Desc(model.Id)];
        }

        var result = new List<OrderKey>();
        var seen = new HashSet<QueryField>();
        foreach (var key in keys)
        {
            if (!seen.Add(key.Field))
            {
                continue;
            }

            result.Add(key);
            if (key.Field == model.Id)
            {
                return result;
            }
        }

        result.Add(result[^1].Descending ? OrderKey.Desc(model.Id) : OrderKey.Asc(model.Id));
        return result;
    }

    private static OrderKey ParseKey(JsonElement item, IQueryModel model, string path)
    {
        if (item.ValueKind != JsonValueKind.Object || item.EnumerateObject().Count() != 1)
        {
            throw new ValidationException(path, "Expected { field: direction } with exactly one field.");
        }

        var property = item.EnumerateObject().First();
        if (!model.Fields.TryGetValue(property.Name, out var field))
        {
            throw new ValidationException(path, $"Unknown field '{property.Name}' on {model.EntityName}.");
        }

        if (property.Value.ValueKind != JsonValueKind.String)
        {
            throw new ValidationException(path, "The direction must be a string.");
        }

        return Key(field, property.Value.GetString()!, path);
    }
}
