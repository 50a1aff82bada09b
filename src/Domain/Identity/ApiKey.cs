using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Identity;

/// <summary>A bearer credential of a user: stored only as a hash, optionally bound to one workspace, scoped, expiring, revocable.</summary>
public sealed class ApiKey : AuditableEntity, IAggregateRoot
{
    public const int NameMaxLength = 128;

    private ApiKey(string id, string name, string tokenHash, string userId, DateTimeOffset createdAt) : base(id, createdAt)
    {
        Name = name;
        TokenHash = tokenHash;
        UserId = userId;
    }

    public string Name { get; private set; }
    public string TokenHash { get; private set; }
    public string UserId { get; private set; }
    public string? WorkspaceId { get; private set; }
    public IReadOnlyList<string> Scopes { get; private set; } = [];
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static ApiKey Create(string id, string name, string tokenHash, string userId, IEnumerable<string> scopes, string? workspaceId, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var list = scopes.Distinct(StringComparer.Ordinal).ToList();
        var unknown = list.FirstOrDefault(s => !Scope.All.Contains(s));
        if (unknown is not null)
        {
            throw new DomainException(IdentityErrors.UnknownScope.WithMessage($"Unknown scope '{unknown}'."));
        }

        if (expiresAt is not null && expiresAt <= now)
        {
            throw new DomainException(IdentityErrors.ExpiryInPast);
        }

        return new ApiKey(id, Guard.Text(name, NameMaxLength, IdentityErrors.NameInvalid), tokenHash, userId, now)
        {
            Scopes = list,
            WorkspaceId = workspaceId,
            ExpiresAt = expiresAt is null ? null : Truncate(expiresAt.Value),
        };
    }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public bool HasScope(string scope) => Scopes.Contains(scope);

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is null)
        {
            RevokedAt = Truncate(now);
            Raise(new ApiKeyRevoked(Id, now));
        }

        Touch(now);
    }
}

/// <summary>A key was revoked: cached authentications of it must go (after the revocation is saved).</summary>
public sealed record ApiKeyRevoked(string KeyId, DateTimeOffset OccurredAt) : IDomainEvent;
