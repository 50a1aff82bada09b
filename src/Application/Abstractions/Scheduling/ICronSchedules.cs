namespace FunctionsPlatform.Application.Abstractions.Scheduling;

/// <summary>Cron expressions of function schedules (five fields, UTC, or a macro such as <c>@hourly</c>).</summary>
public interface ICronSchedules
{
    bool IsValid(string expression);

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null for an invalid or never-firing expression.</summary>
    DateTimeOffset? NextAfter(string expression, DateTimeOffset after);
}
