using System.Text.Json;
using FunctionsPlatform.Domain.Schemas;
using Mapster;

namespace FunctionsPlatform.Application.Schemas;

/// <summary>A schema on /api: <c>schema</c> is the JSON document itself, not a string.</summary>
public sealed record SchemaDto(string Id, string WorkspaceId, string Name, JsonElement Schema, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static JsonElement Parse(string document)
    {
        using var parsed = JsonDocument.Parse(document);
        return parsed.RootElement.Clone();
    }
}

public sealed class SchemaMappings : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<Schema, SchemaDto>()
            .MapWith(s => new SchemaDto(s.Id, s.WorkspaceId, s.Name, SchemaDto.Parse(s.Document), s.CreatedAt, s.UpdatedAt));
}
