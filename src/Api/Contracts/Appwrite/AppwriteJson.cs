using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>
/// JSON as Appwrite speaks it on /v1: names exactly as the models spell them (<c>$id</c>), unknown body properties
/// skipped (the official SDKs and the CLI send fields this server does not use), numbers also accepted as strings,
/// booleans in Appwrite's loose forms, and non-ASCII text written unescaped.
/// </summary>
public static class AppwriteJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = 32,
        };
        options.Converters.Add(new LooseBooleanConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Appwrite's boolean parameters take <c>true</c>/<c>false</c>, <c>1</c>/<c>0</c> and the same as strings.</summary>
public sealed class LooseBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Number when reader.TryGetInt64(out var number) && number is 0 or 1 => number == 1,
        JsonTokenType.String => Parse(reader.GetString()) ?? throw new JsonException("The value is not a boolean."),
        _ => throw new JsonException("The value is not a boolean."),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);

    /// <summary>The loose forms as text (query strings, multipart fields): null when it is none of them.</summary>
    public static bool? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => null,
    };
}

/// <summary>Appwrite's date format: ISO 8601 with milliseconds and offset, <c>2026-11-23T10:00:00.000+00:00</c>; unset is <c>""</c>.</summary>
public static class AppwriteDate
{
    public static string Format(DateTimeOffset? value) =>
        value is { } date ? date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) : "";
}
