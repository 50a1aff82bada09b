namespace FunctionsPlatform.Domain.Common;

/// <summary>Something that happened to an aggregate; dispatched after the unit of work has saved.</summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}
