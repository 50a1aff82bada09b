using FunctionsPlatform.Domain.Identity;

namespace FunctionsPlatform.Application.Account;

public sealed record SessionDto(string Id, string UserId, string Email, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt)
{
    public static SessionDto From(Session session, string email) => new(session.Id, session.UserId, email, session.ExpiresAt, session.CreatedAt);
}

/// <summary>A session just opened, with the secret its cookie carries (shown only here; only its hash is stored).</summary>
public sealed record OpenedSessionDto(SessionDto Session, string Secret);

public sealed record AccountDto(string Id, string Name, string Email, bool IsAdmin, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
