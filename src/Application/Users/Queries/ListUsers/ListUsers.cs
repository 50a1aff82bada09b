using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Users.Specifications;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Users.Queries.ListUsers;

/// <summary>GET /api/users (admin only), oldest first.</summary>
[RequiresAdmin]
public sealed record ListUsersQuery : IQuery<IReadOnlyList<UserDto>>;

internal sealed class ListUsersHandler(IReadRepository<User> users, IMapper mapper) : MediatR.IRequestHandler<ListUsersQuery, IReadOnlyList<UserDto>>
{
    public async Task<IReadOnlyList<UserDto>> Handle(ListUsersQuery request, CancellationToken cancellationToken) =>
        [.. (await users.ListAsync(new UsersInCreationOrderSpec(), cancellationToken)).Select(mapper.Map<UserDto>)];
}
