using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Infrastructure.Querying;

/// <summary>
/// Opaque, tamper-evident keyset cursors: <c>base64url(payload).base64url(HMAC-SHA256(secret, payload)[..16])</c>.
/// The payload holds the boundary row's sort values (id last) and a digest of the entity and order, so a forged
/// cursor, one from another list or one made under another <c>orderBy</c> is a 400, never a wrong page.
/// </summary>
public sealed class CursorCodec : ICursorCodec
{
    private const int MacLength = 16;
    private readonly byte[] _secret;

    public CursorCodec(byte[] secret)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("The cursor secret needs at least 16 bytes.", nameof(secret));
        }

        _secret = secret;
    }

    public string Encode(IQueryModel model, IReadOnlyList<OrderKey> order, IReadOnlyList<object?> values)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new CursorPayload(OrderDigest(model, order), [.. values.Select(ToJson)]));
        var mac = HMACSHA256.HashData(_secret, payload).AsSpan(0, MacLength);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>The boundary values, converted to each key's type; a <see cref="ValidationException"/> at <paramref name="field"/> otherwise.</summary>
    public IReadOnlyList<object?> Decode(string cursor, IQueryModel model, IReadOnlyList<OrderKey> order, string field)
    {
        var payload = Verify(cursor) ?? throw new ValidationException(field, "The cursor is not valid.");
        CursorPayload? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize<CursorPayload>(payload);
        }
        catch (JsonException)
        {
            decoded = null;
        }

        if (decoded?.O != OrderDigest(model, order) || decoded.V is null || decoded.V.Length != order.Count)
        {
            throw new ValidationException(field, "The cursor was made for another list or another orderBy.");
        }

        return [.. order.Select((key, i) => FromJson(decoded.V[i], key.Field, field))];
    }

    private byte[]? Verify(string cursor)
    {
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || cursor.Length > 8192)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(cursor.AsSpan(0, dot));
            var mac = Base64Url.DecodeFromChars(cursor.AsSpan(dot + 1));
            var expected = HMACSHA256.HashData(_secret, payload).AsSpan(0, MacLength);
            return mac.Length == MacLength && CryptographicOperations.FixedTimeEquals(mac, expected) ? payload : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string OrderDigest(IQueryModel model, IReadOnlyList<OrderKey> order)
    {
        var signature = model.EntityName + "|" + string.Join(",", order.Select(k => $"{k.Field.Name}:{k.Direction}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(signature)).AsSpan(0, 8));
    }

    private static JsonElement ToJson(object? value) => value switch
    {
        DateTimeOffset date => JsonSerializer.SerializeToElement(date.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        _ => JsonSerializer.SerializeToElement(value),
    };

    private static object? FromJson(JsonElement value, QueryField key, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            var type = key.ValueType;
            return type == typeof(DateTimeOffset)
                ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AssumeUniversal).ToUniversalTime()
                : value.Deserialize(type);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentNullException)
        {
            throw new ValidationException(field, "The cursor is not valid.");
        }
    }

    private sealed record CursorPayload(string O, JsonElement[] V);
}
