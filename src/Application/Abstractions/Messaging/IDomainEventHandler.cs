using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Application.Abstractions.Messaging;

/// <summary>Reacts to a domain event after the unit of work that raised it has saved (never before: a failed save raises nothing).</summary>
public interface IDomainEventHandler<in TEvent> where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, CancellationToken ct);
}
