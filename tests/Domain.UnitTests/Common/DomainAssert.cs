using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.UnitTests.Common;

/// <summary>Assertions on named domain errors and raised events.</summary>
internal static class DomainAssert
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, 123, TimeSpan.Zero);

    public static void AssertDomainError(DomainError expected, TestDelegate action)
    {
        var exception = Assert.Throws<DomainException>(action);
        Assert.That(exception!.Error.Code, Is.EqualTo(expected.Code));
    }

    public static TEvent AssertRaised<TEvent>(Entity entity) where TEvent : IDomainEvent
    {
        var raised = entity.DomainEvents.OfType<TEvent>().ToList();
        Assert.That(raised, Is.Not.Empty, $"Expected a {typeof(TEvent).Name} event.");
        return raised[^1];
    }
}
