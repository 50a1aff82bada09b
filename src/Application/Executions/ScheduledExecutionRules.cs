namespace FunctionsPlatform.Application.Executions;

/// <summary>
/// How far ahead a <c>scheduledAt</c> must be. Appwrite's rule: at least one minute ahead, on a whole minute. A shorter
/// <see cref="MinimumLead"/> (a test setting) also drops the whole-minute rule, so a test can schedule seconds ahead.
/// </summary>
public sealed record ScheduledExecutionRules(TimeSpan MinimumLead)
{
    public static ScheduledExecutionRules Appwrite { get; } = new(TimeSpan.FromMinutes(1));

    public bool WholeMinutes => MinimumLead >= TimeSpan.FromMinutes(1);

    /// <summary>Null when acceptable, else why not.</summary>
    public string? Check(DateTimeOffset scheduledAt, DateTimeOffset now)
    {
        if (WholeMinutes && (scheduledAt.Second != 0 || scheduledAt.Millisecond != 0 || scheduledAt.Ticks % TimeSpan.TicksPerMillisecond != 0))
        {
            return "scheduledAt must be on a whole minute (seconds zero).";
        }

        return scheduledAt - now < MinimumLead
            ? $"scheduledAt must be at least {MinimumLead.TotalSeconds:0} seconds in the future."
            : null;
    }
}
