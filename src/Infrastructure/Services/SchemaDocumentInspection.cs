using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsPlatform.Infrastructure.Services;

/// <summary>
/// Checks a schema document for what the JSON Schema library would otherwise act on unsafely: references outside the
/// document (which it would fetch: an SSRF and a request held on a slow upstream) and regular expressions that do not
/// compile. Problems name the JSON pointer of the offending keyword.
/// </summary>
internal static class SchemaDocumentInspection
{
    /// <summary>The keywords that point at another schema; only in-document pointers (<c>#…</c>) are accepted.</summary>
    private static readonly string[] ReferenceKeywords = ["$ref", "$dynamicRef", "$recursiveRef"];

    public static IReadOnlyList<string> Problems(JsonElement root)
    {
        var problems = new List<string>();
        Walk(root, "", problems);
        return problems;
    }

    private static void Walk(JsonElement element, string pointer, List<string> problems)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, $"{pointer}/{index++}", problems);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            var path = $"{pointer}/{Escape(property.Name)}";
            if (ReferenceKeywords.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.String)
            {
                var target = property.Value.GetString()!;
                if (!target.StartsWith('#'))
                {
                    problems.Add($"{path}: '{Shorten(target)}' points outside this schema; a reference must start with '#' (a pointer or anchor inside the document).");
                }
            }
            else if (property.Name == "pattern" && property.Value.ValueKind == JsonValueKind.String)
            {
                CheckRegex(property.Value.GetString()!, path, problems);
            }
            else if (property.Name == "patternProperties" && property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var pattern in property.Value.EnumerateObject())
                {
                    CheckRegex(pattern.Name, $"{path}/{Escape(pattern.Name)}", problems);
                }
            }

            Walk(property.Value, path, problems);
        }
    }

    private static void CheckRegex(string pattern, string path, List<string> problems)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, BoundedSchemaValidator.MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            problems.Add($"{path}: not a valid regular expression ({ex.Message})");
        }
    }

    /// <summary>RFC 6901 escaping of one pointer segment.</summary>
    private static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;
}
