using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FunctionsPlatform.Infrastructure.Persistence.Conversions;

/// <summary>UTC Unix milliseconds: exact at the stored precision, and a plain integer SQLite can compare and order.</summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));

/// <summary>A list stored as one JSON text column (tags, roles, headers, files): read and written whole with its aggregate.</summary>
public sealed class JsonListConverter<T>() : ValueConverter<IReadOnlyList<T>, string>(
    v => JsonSerializer.Serialize(v, JsonOptions.Storage),
    v => JsonSerializer.Deserialize<List<T>>(v, JsonOptions.Storage) ?? new List<T>());

public sealed class JsonListComparer<T>() : ValueComparer<IReadOnlyList<T>>(
    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
    v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x == null ? 0 : x.GetHashCode())),
    v => v.ToList());

internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Storage = new(JsonSerializerDefaults.Web);
}
