using FunctionsPlatform.Domain.Identity;
using Mapster;

namespace FunctionsPlatform.Application.Users;

/// <summary>A user as /api/users shows it.</summary>
public sealed record UserDto(string Id, string Name, string Email, bool IsAdmin, DateTimeOffset CreatedAt);

public sealed class UserMappings : IRegister
{
    public void Register(TypeAdapterConfig config) => config.NewConfig<User, UserDto>();
}
