using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Users.Specifications;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Account.Queries.GetAccount;

/// <summary>GET /v1/account: the signed-in user (<c>appwrite login</c> and <c>whoami</c> read it).</summary>
public sealed record GetAccountQuery : IQuery<AccountDto>;

internal sealed class GetAccountHandler(IReadRepository<User> users, ICurrentPrincipal principal) : MediatR.IRequestHandler<GetAccountQuery, AccountDto>
{
    public async Task<AccountDto> Handle(GetAccountQuery request, CancellationToken cancellationToken)
    {
        AccountAccess.RequireSession(principal);
        var user = await users.FirstOrDefaultAsync(new UserByIdSpec(principal.UserId), cancellationToken)
            ?? throw new UnauthorizedException();
        return new AccountDto(user.Id, user.Name, user.Email, user.IsAdmin, user.CreatedAt, user.UpdatedAt);
    }
}
