using FunctionsPlatform.Domain.Executions;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Executions;

/// <summary>
/// The one log line each finished execution writes, with the fields an operator needs to tell a slow cold start or a
/// platform failure from the function's own error without opening the record. Cold starts and failures log at
/// Information; a warm success, the hot path, at Debug: off by default, so it costs a flag check, not a console write.
/// </summary>
internal static partial class ExecutionLog
{
    public static void Finished(ILogger logger, Execution execution)
    {
        var level = execution.ColdStart || execution.Status == ExecutionStatus.Failed ? LogLevel.Information : LogLevel.Debug;
        if (logger.IsEnabled(level))
        {
            Finished(logger, level, execution.Id, execution.FunctionId, execution.Status.ToWire(), execution.ErrorKind.ToWire(),
                execution.ColdStart, execution.InitDurationMs, execution.Duration * 1000);
        }
    }

    [LoggerMessage(EventId = 4100,
        Message = "Execution {ExecutionId} of {FunctionId}: {Status}, error kind {ErrorKind}, cold start {ColdStart}, init {InitDurationMs} ms, took {DurationMs} ms")]
    private static partial void Finished(
        ILogger logger, LogLevel level, string executionId, string functionId, string status, string errorKind, bool coldStart, double initDurationMs, double durationMs);
}
