using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Workspaces;

public enum MembershipRole
{
    Owner,
    Member,
}

/// <summary>The tenancy boundary: every function, version, schema and execution belongs to one workspace.</summary>
public sealed class Workspace : AuditableEntity, IAggregateRoot
{
    public const int NameMaxLength = 128;

    private readonly List<Membership> _members = [];

    private Workspace(string id, string name, DateTimeOffset createdAt) : base(id, createdAt) => Name = name;

    public string Name { get; private set; }
    public IReadOnlyList<Membership> Members => _members;

    public static Workspace Create(string id, string name, string ownerUserId, DateTimeOffset now)
    {
        var workspace = new Workspace(id, Guard.Text(name, NameMaxLength, WorkspaceErrors.NameInvalid), now);
        workspace._members.Add(new Membership(id, ownerUserId, MembershipRole.Owner, now));
        return workspace;
    }

    /// <summary>Adds the user, or changes the role of an existing member.</summary>
    public Membership AddMember(string userId, MembershipRole role, DateTimeOffset now)
    {
        var existing = _members.FirstOrDefault(m => m.UserId == userId);
        if (existing is not null)
        {
            existing.ChangeRole(role);
            return existing;
        }

        var membership = new Membership(Id, userId, role, now);
        _members.Add(membership);
        Touch(now);
        return membership;
    }

    public bool HasMember(string userId) => _members.Any(m => m.UserId == userId);
}

public sealed class Membership
{
    internal Membership(string workspaceId, string userId, MembershipRole role, DateTimeOffset createdAt)
    {
        WorkspaceId = workspaceId;
        UserId = userId;
        Role = role;
        CreatedAt = AuditableEntity.Truncate(createdAt);
    }

    public string WorkspaceId { get; private set; }
    public string UserId { get; private set; }
    public MembershipRole Role { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    internal void ChangeRole(MembershipRole role) => Role = role;
}

public static class WorkspaceErrors
{
    public static readonly DomainError NameInvalid = new("workspace.name_invalid", $"Workspace name must be 1 to {Workspace.NameMaxLength} characters.", ErrorKind.Validation, Field: "name");
    public static readonly DomainError IdInvalid = new("workspace.id_invalid", "Workspace id must match [a-zA-Z0-9][a-zA-Z0-9._-]{0,35}.", ErrorKind.Validation, Field: "id");
    public static readonly DomainError AlreadyExists = new("workspace.already_exists", "A workspace with this id already exists.", ErrorKind.Conflict, "project_already_exists");

    public static bool IsValidChosenId(string id) => Guard.IsCustomId(id);
}
