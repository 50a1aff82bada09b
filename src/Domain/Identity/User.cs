using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Identity;

public sealed class User : AuditableEntity, IAggregateRoot
{
    public const int NameMaxLength = 128;
    public const int EmailMaxLength = 320;

    private User(string id, string name, string email, bool isAdmin, DateTimeOffset createdAt) : base(id, createdAt)
    {
        Name = name;
        Email = email;
        IsAdmin = isAdmin;
    }

    public string Name { get; private set; }
    public string Email { get; private set; }
    public bool IsAdmin { get; private set; }

    public static User Create(string id, string name, string email, bool isAdmin, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > EmailMaxLength || !email.Contains('@'))
        {
            throw new DomainException(IdentityErrors.EmailInvalid);
        }

        return new User(id, Guard.Text(name, NameMaxLength, IdentityErrors.NameInvalid), email.Trim().ToLowerInvariant(), isAdmin, now);
    }
}
