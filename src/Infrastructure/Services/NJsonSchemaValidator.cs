using FunctionsPlatform.Application.Abstractions.Services;
using NJsonSchema;
using System.Collections.Concurrent;

namespace FunctionsPlatform.Infrastructure.Services;

/// <summary>
/// JSON Schema checks with NJsonSchema; parsed schemas are cached by their text. References resolve inside the document
/// only (never a fetch), and validating one instance is held to a time budget (<see cref="BoundedSchemaValidator"/>).
/// </summary>
internal sealed class NJsonSchemaValidator : IJsonSchemaValidator
{
    private static readonly HashSet<string> KnownTypes = ["object", "array", "string", "number", "integer", "boolean", "null"];
    private readonly ConcurrentDictionary<string, JsonSchema> _cache = new();

    public IReadOnlyList<string> CheckSchema(string schemaJson)
    {
        System.Text.Json.JsonDocument document;
        try
        {
            document = System.Text.Json.JsonDocument.Parse(schemaJson);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return [$"The schema is not valid JSON: {ex.Message}"];
        }

        using (document)
        {
            if (document.RootElement.ValueKind is not (System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                return ["A JSON Schema must be an object or a boolean."];
            }

            var problems = new List<string>();
            CheckTypes(document.RootElement, "", problems);
            problems.AddRange(SchemaDocumentInspection.Problems(document.RootElement));
            if (problems.Count > 0)
            {
                return problems;
            }
        }

        try
        {
            Parse(schemaJson);
            return [];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [$"The schema cannot be used: {ex.Message}"];
        }
    }

    public IReadOnlyList<string> Validate(string schemaJson, string instanceJson)
    {
        JsonSchema schema;
        try
        {
            schema = Parse(schemaJson);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A schema stored before the current rules (an outside reference, a broken pattern): refuse, never fetch.
            return [$"The schema cannot be used: {ex.Message}"];
        }

        try
        {
            return [.. new BoundedSchemaValidator().Validate(instanceJson, schema).Select(e => $"{(string.IsNullOrEmpty(e.Path) ? "#" : e.Path)}: {e.Kind}")];
        }
        catch (SchemaValidationTimedOutException ex)
        {
            var at = string.IsNullOrEmpty(ex.InstancePath) ? "#" : ex.InstancePath;
            return [$"{at}: validation against the schema took longer than {BoundedSchemaValidator.Budget.TotalMilliseconds:0} ms " +
                "(a 'pattern' or 'patternProperties' expression backtracks too much on this value); simplify the pattern."];
        }
    }

    private JsonSchema Parse(string schemaJson) =>
        _cache.GetOrAdd(schemaJson, json => JsonSchema.FromJsonAsync(json, documentPath: null, ReferenceResolver).GetAwaiter().GetResult());

    private static JsonReferenceResolver ReferenceResolver(JsonSchema schema) =>
        new InDocumentReferenceResolver(new JsonSchemaAppender(schema, new DefaultTypeNameGenerator()));

    /// <summary>NJsonSchema accepts unknown "type" names silently; a schema that names one is a mistake worth a 400.</summary>
    private static void CheckTypes(System.Text.Json.JsonElement element, string path, List<string> problems)
    {
        if (element.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "type")
                {
                    var names = property.Value.ValueKind == System.Text.Json.JsonValueKind.Array
                        ? property.Value.EnumerateArray().Select(v => v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null)
                        : [property.Value.ValueKind == System.Text.Json.JsonValueKind.String ? property.Value.GetString() : null];
                    if (names.Any(n => n is null || !KnownTypes.Contains(n)))
                    {
                        problems.Add($"{path}/type: must be one of {string.Join(", ", KnownTypes)}.");
                    }
                }
                else
                {
                    CheckTypes(property.Value, $"{path}/{property.Name}", problems);
                }
            }
        }
        else if (element.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                CheckTypes(item, $"{path}/{i++}", problems);
            }
        }
    }
}
