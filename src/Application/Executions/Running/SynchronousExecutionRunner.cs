using System.Text;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using Microsoft.Extensions.Logging;

namespace FunctionsPlatform.Application.Executions.Running;

/// <summary>
/// Runs an execution while its caller waits (a /v1 synchronous execution, a request to a function's domain) and
/// records it: never longer than Appwrite's 30 s, whatever the function's timeout.
/// </summary>
internal sealed class SynchronousExecutionRunner(
    IExecutionJournal journal,
    ExecutionCode code,
    IRuntimeExecutor executor,
    IFunctionKeys functionKeys,
    TimeProvider clock,
    ILogger<SynchronousExecutionRunner> logger)
{
    public const int MaxSyncTimeoutSeconds = 30;

    /// <summary>Runs and records the execution; true when it was stopped by the synchronous limit rather than the function's own timeout.</summary>
    public async Task<bool> RunAndRecordAsync(Function function, Execution execution, CancellationToken ct)
    {
        var timedOutWaiting = await RunAsync(function, execution, ct);
        ExecutionLog.Finished(logger, execution);
        await journal.AppendAsync(execution);
        return timedOutWaiting;
    }

    private async Task<bool> RunAsync(Function function, Execution execution, CancellationToken ct)
    {
        var runtimeRequest = new RuntimeRequest(
            execution.RequestMethod, execution.RequestPath, FunctionRequestHeaders.For(execution, background: false, functionKeys.ForExecution(function)),
            Encoding.UTF8.GetBytes(execution.RequestBody ?? ""));
        var (invocation, problem) = await code.InvocationAsync(
            function, execution.DeploymentId, execution.VersionId, runtimeRequest, Math.Min(function.Timeout, MaxSyncTimeoutSeconds), ct);
        if (invocation is null)
        {
            execution.FailUnrun(problem!, clock.GetUtcNow());
            return false;
        }

        var run = await executor.ExecuteAsync(invocation, ct);
        ExecutionOutcome.Record(execution, function, run, keepBody: true, clock.GetUtcNow());
        return run.Failure == RuntimeFailure.TimedOut && function.Timeout > MaxSyncTimeoutSeconds;
    }
}
