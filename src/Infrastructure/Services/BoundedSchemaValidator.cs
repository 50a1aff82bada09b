using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.References;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace FunctionsPlatform.Infrastructure.Services;

/// <summary>Raised when validating one instance outlives <see cref="BoundedSchemaValidator.Budget"/>.</summary>
internal sealed class SchemaValidationTimedOutException(string instancePath) : Exception($"Validation stopped at '{instancePath}'.")
{
    public string InstancePath { get; } = instancePath;
}

/// <summary>
/// NJsonSchema's validator with a time budget. The library matches <c>pattern</c> and <c>patternProperties</c> with
/// <see cref="Regex.IsMatch(string, string)"/>, which has no timeout: a backtracking pattern such as <c>^(a+)+$</c> pins a
/// thread for minutes on a 30-character value. Before the library sees a node, every regular expression that node will
/// run is matched here first with a <see cref="MatchTimeout"/>; the library's own match of the same pattern on the same
/// value then costs no more. Between nodes the whole validation is held to <see cref="Budget"/>. One instance per call.
/// </summary>
internal sealed class BoundedSchemaValidator : JsonSchemaValidator
{
    /// <summary>Longest single regular-expression match.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest whole validation of one instance (checked between nodes, so a call ends within about Budget + 2 × MatchTimeout).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(250);

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);
    private readonly long _started = Stopwatch.GetTimestamp();

    public BoundedSchemaValidator()
        : base(Settings())
    {
    }

    protected override ICollection<ValidationError> Validate(JToken token, JsonSchema schema, SchemaType schemaType, string? propertyName, string propertyPath)
    {
        if (Stopwatch.GetElapsedTime(_started) > Budget)
        {
            throw new SchemaValidationTimedOutException(token.Path);
        }

        if (token.Type == JTokenType.String && !string.IsNullOrEmpty(schema.Pattern))
        {
            Match(schema.Pattern, token.Value<string>() ?? "", token.Path);
        }

        if (token is JObject instance && schema.PatternProperties.Count > 0)
        {
            foreach (var property in instance.Properties())
            {
                foreach (var pattern in schema.PatternProperties.Keys)
                {
                    Match(pattern, property.Name, property.Path);
                }
            }
        }

        return base.Validate(token, schema, schemaType, propertyName, propertyPath);
    }

    private const int MaxCachedPatterns = 1024;

    public static Regex Compile(string pattern)
    {
        if (Patterns.TryGetValue(pattern, out var regex))
        {
            return regex;
        }

        if (Patterns.Count >= MaxCachedPatterns)
        {
            Patterns.Clear();
        }

        return Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.None, MatchTimeout));
    }

    private static void Match(string pattern, string value, string path)
    {
        try
        {
            _ = Compile(pattern).IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new SchemaValidationTimedOutException(path);
        }
    }

    private static JsonSchemaValidatorSettings Settings()
    {
        var settings = new JsonSchemaValidatorSettings();
        settings.AddCustomFormatValidator(new RegexFormatValidator());
        return settings;
    }

    /// <summary><c>format: regex</c>: the value must compile as a regular expression (compiling does not backtrack).</summary>
    private sealed class RegexFormatValidator : IFormatValidator
    {
        public string Format => "regex";

        public ValidationErrorKind ValidationErrorKind => ValidationErrorKind.PatternMismatch;

        public bool IsValid(string value, JTokenType tokenType)
        {
            try
            {
                _ = new Regex(value, RegexOptions.None, MatchTimeout);
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}

/// <summary>Resolves <c>$ref</c> inside the document only: files and URLs are refused, so parsing a schema never fetches.</summary>
internal sealed class InDocumentReferenceResolver(JsonSchemaAppender appender) : JsonReferenceResolver(appender)
{
    public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"The reference '{filePath}' points outside the schema; only '#…' references are resolved.");

    public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"The reference '{url}' points outside the schema; only '#…' references are resolved.");
}
