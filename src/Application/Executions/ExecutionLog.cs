using FunctionsPlatform.Domain.Executions;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Executions;

/// <summary>
/// The one log line each finished execution writes. Source-generated, so a disabled level costs a flag check and an
/// enabled one no boxing; the fields are the ones an operator needs to tell a slow cold start or a platform failure
/// from the function's own error without opening the record.
/// </summary>
internal static partial class ExecutionLog
{
    public static void Finished(ILogger logger, Execution execution) =>
        Finished(logger, execution.Id, execution.FunctionId, execution.Status.ToWire(), execution.ErrorKind.ToWire(),
            execution.ColdStart, execution.InitDurationMs, execution.Duration * 1000);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information,
        Message = "Execution {ExecutionId} of {FunctionId}: {Status}, error kind {ErrorKind}, cold start {ColdStart}, init {InitDurationMs} ms, took {DurationMs} ms")]
    private static partial void Finished(
        ILogger logger, string executionId, string functionId, string status, string errorKind, bool coldStart, double initDurationMs, double durationMs);
}
