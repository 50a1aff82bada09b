using FunctionsPlatform.Domain.Identity;
using Mapster;

namespace FunctionsPlatform.Application.Identity;

/// <summary>A user as /api/users shows it.</summary>
public sealed record UserDto(string Id, string Name, string Email, bool IsAdmin, DateTimeOffset CreatedAt);

/// <summary>An API key as listed: never the token.</summary>
public sealed record ApiKeyDto(
    string Id, string Name, IReadOnlyList<string> Scopes, string UserId, string? WorkspaceId, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

/// <summary>The answer to POST /api/api-keys: the only place the token ever appears.</summary>
public sealed record CreatedApiKeyDto(
    string Id, string Name, string Token, IReadOnlyList<string> Scopes, string UserId, string? WorkspaceId, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

public sealed class IdentityMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<User, UserDto>();
        config.NewConfig<ApiKey, ApiKeyDto>().Map(d => d.Scopes, s => s.Scopes.ToList());
    }
}
