using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Users.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Users.Commands.CreateUser;

/// <summary>POST /api/users (admin only): email is stored lower-cased and unique (409 when taken).</summary>
[RequiresAdmin]
public sealed record CreateUserCommand(string Name, string Email, bool IsAdmin) : ICommand<UserDto>;

internal sealed class CreateUserHandler(IRepository<User> users, IIdGenerator ids, TimeProvider clock, IMapper mapper)
    : MediatR.IRequestHandler<CreateUserCommand, UserDto>
{
    public async Task<UserDto> Handle(CreateUserCommand request, CancellationToken cancellationToken)
    {
        var user = User.Create(ids.NewId(IdPrefixes.User), request.Name, request.Email, request.IsAdmin, clock.GetUtcNow());
        if (await users.AnyAsync(new UserByEmailSpec(user.Email), cancellationToken))
        {
            throw new DomainException(IdentityErrors.EmailTaken);
        }

        users.Add(user);
        return mapper.Map<UserDto>(user);
    }
}
