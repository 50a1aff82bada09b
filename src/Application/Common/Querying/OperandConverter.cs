using System.Globalization;
using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>Turns a JSON operand into a value of the field's type, or a 400 at <c>path</c>.</summary>
internal static class OperandConverter
{
    public static object Convert(QueryField field, JsonElement value, string path) =>
        TryConvert(field, value, out var error) ?? throw new ValidationException(path, error!);

    /// <summary>The value, or null and the reason (the caller names the path: built only when there is an error).</summary>
    public static object? TryConvert(QueryField field, JsonElement value, out string? error)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > QueryLimits.MaxOperandLength)
        {
            error = $"Operands are limited to {QueryLimits.MaxOperandLength} characters.";
            return null;
        }

        var converted = ConvertValue(field, value);
        error = converted is null ? $"Expected {Describe(field)} for '{field.Name}'." : null;
        return converted;
    }

    private static object? ConvertValue(QueryField field, JsonElement value) => field.Type switch
    {
        FieldType.String => value.ValueKind == JsonValueKind.String ? value.GetString() : null,
        FieldType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null,
        FieldType.Enum => value.ValueKind == JsonValueKind.String && field.EnumValues!.TryGetValue(value.GetString()!, out var e) ? e : null,
        FieldType.Date => value.ValueKind == JsonValueKind.String ? ParseDate(value.GetString()!) : null,
        FieldType.Number => value.ValueKind == JsonValueKind.Number ? ConvertNumber(field.ValueType, value) : null,
        _ => null,
    };

    /// <summary>ISO 8601 with an offset or Z; normalised to UTC so the stored (UTC, ms) values compare exactly.</summary>
    public static object? ParseDate(string text) =>
        text.Length is >= 10 and <= 40
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date)
            ? date.ToUniversalTime()
            : null;

    private static object? ConvertNumber(Type type, JsonElement value)
    {
        if (type == typeof(int))
        {
            return value.TryGetInt32(out var i) ? i : null;
        }

        if (type == typeof(long))
        {
            return value.TryGetInt64(out var l) ? l : null;
        }

        if (type == typeof(double))
        {
            return value.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;
        }

        throw new InvalidOperationException($"Unsupported number type {type}.");
    }

    private static string Describe(QueryField field) => field.Type switch
    {
        FieldType.String => "a string",
        FieldType.Bool => "a boolean",
        FieldType.Enum => "one of " + string.Join(", ", field.EnumValues!.Keys),
        FieldType.Date => "an ISO 8601 date-time string",
        FieldType.Number => field.ValueType == typeof(double) ? "a number" : "an integer",
        _ => "a value",
    };
}
