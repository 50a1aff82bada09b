using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Users.Specifications;

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
