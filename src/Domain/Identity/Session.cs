using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Identity;

/// <summary>
/// A signed-in console session (Appwrite's <c>appwrite login</c>): opened with one of the user's API keys and acting with
/// exactly that key's rights, so it can never outlive or outrank the key. The secret is stored only as a hash.
/// </summary>
public sealed class Session : AuditableEntity, IAggregateRoot
{
    /// <summary>How long a session lasts when its key does not expire sooner.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private Session(string id, string secretHash, string userId, string apiKeyId, DateTimeOffset expiresAt, DateTimeOffset createdAt)
        : base(id, createdAt)
    {
        SecretHash = secretHash;
        UserId = userId;
        ApiKeyId = apiKeyId;
        ExpiresAt = expiresAt;
    }

    public string SecretHash { get; private set; }
    public string UserId { get; private set; }
    public string ApiKeyId { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>Opens a session on a key that is usable now; it ends with the key or after <see cref="Lifetime"/>.</summary>
    public static Session Open(string id, string secretHash, ApiKey key, DateTimeOffset now)
    {
        if (!key.IsUsableAt(now))
        {
            throw new DomainException(IdentityErrors.KeyNotUsable);
        }

        var end = now + Lifetime;
        var expiresAt = key.ExpiresAt is { } keyExpiry && keyExpiry < end ? keyExpiry : end;
        return new Session(id, secretHash, key.UserId, key.Id, Truncate(expiresAt), now);
    }

    public bool IsUsableAt(DateTimeOffset now) => ExpiresAt > now;

    /// <summary>Logout: the session is about to be removed. The event, dispatched once that is committed, lets every
    /// cache of the session forget it after the row is gone, so nothing read before the commit outlives it.</summary>
    public void End(DateTimeOffset now) => Raise(new SessionEnded(Id, now));
}

public sealed record SessionEnded(string SessionId, DateTimeOffset OccurredAt) : IDomainEvent;
