using FluentValidation;
using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Identity.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;
using MapsterMapper;

namespace FunctionsPlatform.Application.Identity;

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

internal sealed class CreateUserValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(User.NameMaxLength);
        RuleFor(c => c.Email).NotEmpty().MaximumLength(User.EmailMaxLength).EmailAddress();
    }
}

/// <summary>GET /api/users (admin only), oldest first.</summary>
[RequiresAdmin]
public sealed record ListUsersQuery : IQuery<IReadOnlyList<UserDto>>;

internal sealed class ListUsersHandler(IReadRepository<User> users, IMapper mapper) : MediatR.IRequestHandler<ListUsersQuery, IReadOnlyList<UserDto>>
{
    public async Task<IReadOnlyList<UserDto>> Handle(ListUsersQuery request, CancellationToken cancellationToken) =>
        [.. (await users.ListAsync(new UsersInCreationOrderSpec(), cancellationToken)).Select(mapper.Map<UserDto>)];
}
