using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Identity.Specifications;

public sealed class UserByIdSpec : Specification<User>
{
    public UserByIdSpec(string id) => Query.Where(u => u.Id == id);
}

public sealed class UserByEmailSpec : Specification<User>
{
    public UserByEmailSpec(string normalizedEmail) => Query.Where(u => u.Email == normalizedEmail);
}

public sealed class UsersInCreationOrderSpec : Specification<User>
{
    public UsersInCreationOrderSpec() => Query.OrderBy(u => u.CreatedAt).OrderBy(u => u.Id);
}

/// <summary>Live (not revoked) keys, of one user or (null) of everyone, oldest first.</summary>
public sealed class LiveApiKeysSpec : Specification<ApiKey>
{
    public LiveApiKeysSpec(string? userId)
    {
        Query.Where(k => k.RevokedAt == null);
        Query.Where(userId is not null, k => k.UserId == userId);
        Query.OrderBy(k => k.CreatedAt).OrderBy(k => k.Id);
    }
}

public sealed class LiveApiKeyByIdSpec : Specification<ApiKey>
{
    public LiveApiKeyByIdSpec(string id) => Query.Where(k => k.Id == id && k.RevokedAt == null).Tracking();
}
