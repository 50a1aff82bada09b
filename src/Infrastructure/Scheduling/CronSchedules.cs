using Cronos;
using FunctionsPlatform.Application.Abstractions.Scheduling;

namespace FunctionsPlatform.Infrastructure.Scheduling;

/// <summary>Cronos, standard five-field format, evaluated in UTC.</summary>
internal sealed class CronSchedules : ICronSchedules
{
    public bool IsValid(string expression) => CronExpression.TryParse(expression, CronFormat.Standard, out _);

    public DateTimeOffset? NextAfter(string expression, DateTimeOffset after) =>
        CronExpression.TryParse(expression, CronFormat.Standard, out var cron)
            ? cron.GetNextOccurrence(after, TimeZoneInfo.Utc, inclusive: false)
            : null;
}
