using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>
/// Parses Appwrite query strings as node-appwrite 27 sends them (<c>{"method","attribute","values"}</c>)
/// into the shared <see cref="FilterNode"/> tree, checked against the list's attribute allow-list. Errors are 400
/// <c>general_argument_invalid</c> at <c>queries[i]</c> with Appwrite's wording (<c>Invalid query: …</c>).
/// </summary>
public static class AppwriteQueryParser
{
    public const int MaxQueries = 100;
    public const int MaxQueryLength = 4096;
    public const int MaxValues = 500;
    /// <summary>Appwrite's page size when a list has no <c>limit</c> query.</summary>
    public const int DefaultLimit = 25;
    public const int MaxLimit = 5000;

    /// <summary>
    /// Appwrite sets no bound, but an offset is an index walk that grows with it (OFFSET 500,000 over one workspace:
    /// ~100 ms on SQLite); this bound keeps a single request well under a second.
    /// </summary>
    public const int MaxOffset = 1_000_000;

    /// <summary>Appwrite counts <c>total</c> up to this many rows (<c>APP_LIMIT_COUNT</c>).</summary>
    public const int MaxTotal = 5000;

    public static AppwriteQuery Parse(IReadOnlyList<string>? queries, AppwriteAttributes attributes)
    {
        queries ??= [];
        if (queries.Count > MaxQueries)
        {
            throw Invalid("queries", $"Invalid query: at most {MaxQueries} queries are allowed.");
        }

        var state = new State(attributes);
        for (var i = 0; i < queries.Count; i++)
        {
            var path = $"queries[{i}]";
            var text = queries[i];
            if (text is null || text.Length > MaxQueryLength)
            {
                throw Invalid(path, $"Invalid query: each query is at most {MaxQueryLength} characters.");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 2 * QueryLimits.MaxDepth + 4 });
            }
            catch (JsonException)
            {
                throw Invalid(path, $"Invalid query: {Truncate(text)}");
            }

            using (document)
            {
                state.Top(document.RootElement, path);
            }
        }

        return new AppwriteQuery(
            state.Filters.Count switch { 0 => null, 1 => state.Filters[0], _ => new AndFilter(state.Filters) },
            Complete(state.Order, attributes.Model),
            state.Limit,
            state.Offset,
            state.CursorAfter,
            state.CursorBefore,
            state.Select);
    }

    /// <summary>Appwrite appends its sequence as tie-breaker: in the direction of a leading <c>$createdAt</c>/<c>$updatedAt</c> order, else ascending.</summary>
    private static List<OrderKey> Complete(List<OrderKey> order, IQueryModel model)
    {
        if (order.Count == 0)
        {
            return [OrderKey.Asc(model.CreatedAt), OrderKey.Asc(model.Id)];
        }

        var descending = order[0].Descending && (order[0].Field == model.CreatedAt || order[0].Field.Name == "updatedAt");
        var keys = order.DistinctBy(k => k.Field).TakeWhile(k => k.Field != model.Id).ToList();
        keys.Add(order.FirstOrDefault(k => k.Field == model.Id) ?? (descending ? OrderKey.Desc(model.Id) : OrderKey.Asc(model.Id)));
        return keys;
    }

    private static ValidationException Invalid(string path, string message) => new(path, message);

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private sealed class State(AppwriteAttributes attributes)
    {
        private int _nodes;

        public List<FilterNode> Filters { get; } = [];
        public List<OrderKey> Order { get; } = [];
        public int? Limit { get; private set; }
        public int? Offset { get; private set; }
        public string? CursorAfter { get; private set; }
        public string? CursorBefore { get; private set; }
        public List<string>? Select { get; private set; }

        public void Top(JsonElement query, string path)
        {
            var (method, attribute, values) = Read(query, path);
            switch (method)
            {
                case "orderAsc" or "orderDesc":
                    var field = Field(attribute, path);
                    if (!field.Sortable)
                    {
                        throw Invalid(path, $"Invalid query: Cannot order by attribute: {attribute}");
                    }

                    Order.Add(method == "orderAsc" ? OrderKey.Asc(field) : OrderKey.Desc(field));
                    return;
                case "limit":
                    var limit = Integer(values, path, 1, MaxLimit, "Invalid limit");
                    Limit ??= limit;
                    return;
                case "offset":
                    var offset = Integer(values, path, 0, MaxOffset, "Invalid offset");
                    Offset ??= offset;
                    return;
                case "cursorAfter" or "cursorBefore":
                    var id = Single(values, path);
                    if (id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 64 } cursor)
                    {
                        throw Invalid(path, "Invalid query: Invalid cursor");
                    }

                    if (CursorAfter is null && CursorBefore is null)
                    {
                        CursorAfter = method == "cursorAfter" ? cursor : null;
                        CursorBefore = method == "cursorBefore" ? cursor : null;
                    }

                    return;
                case "select":
                    if (!attributes.SelectAllowed)
                    {
                        throw Invalid(path, "Invalid query: Select queries are not allowed on this list.");
                    }

                    Select = [.. Strings(values, path)];
                    return;
                default:
                    Filters.Add(Filter(method, attribute, values, path, 1));
                    return;
            }
        }

        private FilterNode Filter(string method, string? attribute, JsonElement[] values, string path, int depth)
        {
            if (depth > QueryLimits.MaxDepth)
            {
                throw Invalid(path, $"Invalid query: nested deeper than {QueryLimits.MaxDepth} levels.");
            }

            if (++_nodes > QueryLimits.MaxNodes)
            {
                throw Invalid(path, $"Invalid query: more than {QueryLimits.MaxNodes} conditions.");
            }

            switch (method)
            {
                case "and" or "or":
                    if (values.Length == 0)
                    {
                        throw Invalid(path, $"Invalid query: {method} queries require at least one query.");
                    }

                    var operands = values.Select((v, i) =>
                    {
                        var nestedPath = $"{path}.values[{i}]";
                        var (m, a, vs) = Read(v, nestedPath);
                        return Filter(m, a, vs, nestedPath, depth + 1);
                    }).ToList();
                    return method == "and" ? new AndFilter(operands) : new OrFilter(operands);
                case "createdBefore" or "createdAfter" or "createdBetween" or "updatedBefore" or "updatedAfter" or "updatedBetween":
                    var stamp = method.StartsWith("created", StringComparison.Ordinal) ? "$createdAt" : "$updatedAt";
                    var suffix = method["created".Length..];
                    return Filter(suffix switch { "Before" => "lessThan", "After" => "greaterThan", _ => "between" }, stamp, values, path, depth);
            }

            var field = Field(attribute, path);
            return method switch
            {
                "equal" => AnyOf(field, values, path, FilterOperator.Eq, allowMany: true),
                "notEqual" => new NotFilter(AnyOf(field, values, path, FilterOperator.Eq, allowMany: true)),
                "lessThan" => Compare(field, FilterOperator.Lt, values, path),
                "lessThanEqual" => Compare(field, FilterOperator.Lte, values, path),
                "greaterThan" => Compare(field, FilterOperator.Gt, values, path),
                "greaterThanEqual" => Compare(field, FilterOperator.Gte, values, path),
                "between" => Between(field, values, path),
                // NOT BETWEEN in SQL excludes nulls, so it is lt OR gt rather than a negation.
                "notBetween" => NotBetween(field, values, path),
                "isNull" => new FieldFilter(field, FilterOperator.IsNull, true),
                "isNotNull" => new FieldFilter(field, FilterOperator.IsNull, false),
                "startsWith" => AnyOf(field, values, path, FilterOperator.StartsWith, allowMany: true),
                "notStartsWith" => new NotFilter(AnyOf(field, values, path, FilterOperator.StartsWith, allowMany: true)),
                "endsWith" => AnyOf(field, values, path, FilterOperator.EndsWith, allowMany: true),
                "notEndsWith" => new NotFilter(AnyOf(field, values, path, FilterOperator.EndsWith, allowMany: true)),
                "contains" => AnyOf(field, values, path, FilterOperator.Contains, allowMany: true),
                "notContains" => new NotFilter(AnyOf(field, values, path, FilterOperator.Contains, allowMany: true)),
                "search" => Search(field, values, path),
                "notSearch" => new NotFilter(Search(field, values, path)),
                _ => throw Invalid(path, $"Invalid query method: {method}"),
            };
        }

        private static FilterNode AnyOf(QueryField field, JsonElement[] values, string path, FilterOperator op, bool allowMany)
        {
            if (values.Length == 0 || (!allowMany && values.Length > 1))
            {
                throw Invalid(path, "Invalid query: " + (values.Length == 0 ? "At least one value is required." : "Exactly one value is required."));
            }

            Allow(field, op, path);
            if (op == FilterOperator.Eq && values.Length > 1)
            {
                return new FieldFilter(field, FilterOperator.In, values.Select((v, i) => OperandConverter.Convert(field, v, $"{path}.values[{i}]")).ToArray());
            }

            var parts = values.Select((v, i) => (FilterNode)new FieldFilter(field, op, OperandConverter.Convert(field, v, $"{path}.values[{i}]"))).ToList();
            return parts.Count == 1 ? parts[0] : new OrFilter(parts);
        }

        private static FieldFilter Compare(QueryField field, FilterOperator op, JsonElement[] values, string path)
        {
            Allow(field, op, path);
            return new FieldFilter(field, op, OperandConverter.Convert(field, Single(values, path), $"{path}.values[0]"));
        }

        private static AndFilter Between(QueryField field, JsonElement[] values, string path)
        {
            var (low, high) = Pair(field, values, path);
            return new AndFilter([new FieldFilter(field, FilterOperator.Gte, low), new FieldFilter(field, FilterOperator.Lte, high)]);
        }

        private static OrFilter NotBetween(QueryField field, JsonElement[] values, string path)
        {
            var (low, high) = Pair(field, values, path);
            return new OrFilter([new FieldFilter(field, FilterOperator.Lt, low), new FieldFilter(field, FilterOperator.Gt, high)]);
        }

        private static (object Low, object High) Pair(QueryField field, JsonElement[] values, string path)
        {
            if (values.Length != 2)
            {
                throw Invalid(path, "Invalid query: Between queries require exactly two values.");
            }

            Allow(field, FilterOperator.Gte, path);
            return (OperandConverter.Convert(field, values[0], $"{path}.values[0]"), OperandConverter.Convert(field, values[1], $"{path}.values[1]"));
        }

        /// <summary>
        /// No Functions attribute has a full-text index here, so <c>search</c> is word matching: a row matches when its
        /// value contains any of the whitespace-separated terms, ignoring case (MySQL boolean-mode default is OR).
        /// </summary>
        private static FilterNode Search(QueryField field, JsonElement[] values, string path)
        {
            Allow(field, FilterOperator.IContains, path);
            var text = (string)OperandConverter.Convert(field, Single(values, path), $"{path}.values[0]");
            var terms = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).Take(QueryLimits.MaxListValues).ToList();
            return terms.Count == 0
                ? new AndFilter([])
                : new OrFilter([.. terms.Select(t => (FilterNode)new FieldFilter(field, FilterOperator.IContains, t.ToLowerInvariant()))]);
        }

        private static void Allow(QueryField field, FilterOperator op, string path)
        {
            if (!field.Allows(op))
            {
                throw Invalid(path, $"Invalid query: Cannot apply this query to attribute: {field.Name}");
            }
        }

        private QueryField Field(string? attribute, string path) =>
            attribute is not null && attributes.Fields.TryGetValue(attribute, out var field)
                ? field
                : throw Invalid(path, $"Invalid query: Attribute not found in schema: {attribute}");

        private static (string Method, string? Attribute, JsonElement[] Values) Read(JsonElement query, string path)
        {
            if (query.ValueKind != JsonValueKind.Object
                || !query.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
            {
                throw Invalid(path, "Invalid query: Query must be an object with a method.");
            }

            string? attribute = null;
            if (query.TryGetProperty("attribute", out var a) && a.ValueKind != JsonValueKind.Null)
            {
                attribute = a.ValueKind == JsonValueKind.String ? a.GetString() : throw Invalid(path, "Invalid query: attribute must be a string.");
            }

            var values = Array.Empty<JsonElement>();
            if (query.TryGetProperty("values", out var v) && v.ValueKind != JsonValueKind.Null)
            {
                if (v.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid(path, "Invalid query: values must be an array.");
                }

                if (v.GetArrayLength() > MaxValues)
                {
                    throw Invalid(path, $"Invalid query: Query on attribute has greater than {MaxValues} values: {attribute}");
                }

                values = [.. v.EnumerateArray().Select(e => e.Clone())];
            }

            return (method.GetString()!, attribute, values);
        }

        private static JsonElement Single(JsonElement[] values, string path) =>
            values.Length == 1 ? values[0] : throw Invalid(path, "Invalid query: Exactly one value is required.");

        private static int Integer(JsonElement[] values, string path, int min, int max, string message)
        {
            var value = Single(values, path);
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max
                ? n
                : throw Invalid(path, $"Invalid query: {message}. Value must be a valid range between {min:N0} and {max:N0}");
        }

        private static IEnumerable<string> Strings(JsonElement[] values, string path) =>
            values.Length == 0
                ? throw Invalid(path, "Invalid query: select requires at least one attribute.")
                : values.Select(v => v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 and <= 128 } s ? s : throw Invalid(path, "Invalid query: select takes attribute names."));
    }
}
