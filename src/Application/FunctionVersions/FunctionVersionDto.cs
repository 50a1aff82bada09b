using FunctionsPlatform.Domain.FunctionVersions;
using Mapster;

namespace FunctionsPlatform.Application.FunctionVersions;

public sealed record VersionFileDto(string Path, string Content, int Size);

/// <summary>A version as /api shows it, <c>deletedAt</c> included.</summary>
public sealed record FunctionVersionDto(
    string Id,
    string FunctionId,
    string Name,
    string? ParentId,
    string? InputSchemaId,
    string? OutputSchemaId,
    IReadOnlyList<VersionFileDto> Files,
    DateTimeOffset? DeletedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed class FunctionVersionMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<VersionFile, VersionFileDto>();
        config.NewConfig<FunctionVersion, FunctionVersionDto>();
    }
}

/// <summary>A file as sent in a create or PUT body.</summary>
public sealed record VersionFileInput(string? Path, string? Content);
