namespace FunctionsPlatform.Domain.Common;

/// <summary>Base of every entity: a string id (prefixed ULID, see <see cref="IdPrefixes"/>) and the events it raised.</summary>
public abstract class Entity
{
    private readonly List<IDomainEvent> _domainEvents = [];

    protected Entity(string id) => Id = id;

    public string Id { get; private set; }

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    public void ClearDomainEvents() => _domainEvents.Clear();
}

/// <summary>Marks the roots that repositories load and save.</summary>
public interface IAggregateRoot;

/// <summary>Created/updated stamps, set by the entity's own verbs with the time passed in.</summary>
public abstract class AuditableEntity : Entity
{
    protected AuditableEntity(string id, DateTimeOffset now) : base(id)
    {
        CreatedAt = Truncate(now);
        UpdatedAt = CreatedAt;
    }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic-concurrency token, bumped on every change.</summary>
    public Guid ConcurrencyStamp { get; private set; } = Guid.NewGuid();

    protected void Touch(DateTimeOffset now)
    {
        UpdatedAt = Truncate(now);
        ConcurrencyStamp = Guid.NewGuid();
    }

    /// <summary>Times are stored at millisecond precision (the wire's) so that a value read back filters and sorts exactly.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
