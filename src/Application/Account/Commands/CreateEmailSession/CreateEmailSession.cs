using FunctionsPlatform.Application.Abstractions.Messaging;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Abstractions.Services;
using FunctionsPlatform.Application.Account.Specifications;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Users.Specifications;
using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Account.Commands.CreateEmailSession;

/// <summary>
/// POST /v1/account/sessions/email, what <c>appwrite login</c> sends. Users here have no passwords: the password is one
/// of the user's own API key tokens, and the session acts with that key's scopes and workspace. A wrong email, a token
/// of someone else's key, or a revoked or expired key all answer the same 401, so nothing tells them apart.
/// </summary>
[AllowAnonymousRequest]
public sealed record CreateEmailSessionCommand(string? Email, string? Password) : ICommand<OpenedSessionDto>;

internal sealed class CreateEmailSessionHandler(
    IReadRepository<User> users,
    IReadRepository<ApiKey> keys,
    IRepository<Session> sessions,
    ITokenHasher hasher,
    IIdGenerator ids,
    TimeProvider clock) : MediatR.IRequestHandler<CreateEmailSessionCommand, OpenedSessionDto>
{
    public async Task<OpenedSessionDto> Handle(CreateEmailSessionCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var user = await users.FirstOrDefaultAsync(new UserByEmailSpec(request.Email!.Trim().ToLowerInvariant()), cancellationToken);
        var key = await keys.FirstOrDefaultAsync(new ApiKeyByTokenHashSpec(hasher.Hash(request.Password!)), cancellationToken);
        if (user is null || key is null || key.UserId != user.Id || !key.IsUsableAt(now))
        {
            throw new UnauthorizedException("Invalid credentials. Please check the email and password.", "user_invalid_credentials");
        }

        var secret = hasher.NewToken();
        var session = Session.Open(ids.NewId(IdPrefixes.Session), hasher.Hash(secret), key, now);
        sessions.Add(session);
        return new OpenedSessionDto(SessionDto.From(session, user.Email), secret);
    }
}
