namespace FunctionsPlatform.Infrastructure.Scheduling;

/// <summary>Settings of the <c>Scheduling:</c> section.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>Whether this instance runs the cron scheduler (every instance may: each tick is claimed in the database).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often due schedules are looked for; passes are aligned to multiples of it, so whole-minute ticks fire just after the minute.</summary>
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>How far ahead a <c>scheduledAt</c> must be (Appwrite: 60, on a whole minute). Below 60 the whole-minute rule is dropped: for tests.</summary>
    public int ScheduledExecutionMinimumLeadSeconds { get; set; } = 60;
}
