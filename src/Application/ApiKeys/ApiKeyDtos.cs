using FunctionsPlatform.Domain.Identity;
using Mapster;

namespace FunctionsPlatform.Application.ApiKeys;

/// <summary>An API key as listed: never the token.</summary>
public sealed record ApiKeyDto(
    string Id, string Name, IReadOnlyList<string> Scopes, string UserId, string? WorkspaceId, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

/// <summary>The answer to POST /api/api-keys: the only place the token ever appears.</summary>
public sealed record CreatedApiKeyDto(
    string Id, string Name, string Token, IReadOnlyList<string> Scopes, string UserId, string? WorkspaceId, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

public sealed class ApiKeyMappings : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<ApiKey, ApiKeyDto>().Map(d => d.Scopes, s => s.Scopes.ToList());
}
