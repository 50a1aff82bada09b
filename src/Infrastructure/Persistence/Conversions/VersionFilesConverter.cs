using System.Text.Json;
using FunctionsPlatform.Domain.FunctionVersions;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace FunctionsPlatform.Infrastructure.Persistence.Conversions;

/// <summary>A version's files as one JSON column; read back through <see cref="VersionFile.Create"/> so sizes are recomputed.</summary>
public sealed class VersionFilesConverter() : ValueConverter<IReadOnlyList<VersionFile>, string>(
    v => JsonSerializer.Serialize(v.Select(f => new StoredFile(f.Path, f.Content)).ToList(), JsonOptions.Storage),
    v => Read(v))
{
    private sealed record StoredFile(string Path, string Content);

    private static List<VersionFile> Read(string json) =>
        (JsonSerializer.Deserialize<List<StoredFile>>(json, JsonOptions.Storage) ?? [])
            .Select(f => VersionFile.Create(f.Path, f.Content))
            .ToList();
}
