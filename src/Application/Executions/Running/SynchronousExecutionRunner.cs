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

    /// <summary>Runs and records the execution.</summary>
    /// <param name="requestBody">The request body's bytes when the caller has them as bytes (a domain request); null: the execution's text.</param>
    public async Task<SynchronousRun> RunAndRecordAsync(Function function, Execution execution, ReadOnlyMemory<byte>? requestBody, CancellationToken ct)
    {
        var run = await RunAsync(function, execution, requestBody ?? Encoding.UTF8.GetBytes(execution.RequestBody ?? ""), ct);
        ExecutionLog.Finished(logger, execution);
        await journal.AppendAsync(execution);
        return run;
    }

    private async Task<SynchronousRun> RunAsync(Function function, Execution execution, ReadOnlyMemory<byte> requestBody, CancellationToken ct)
    {
        var runtimeRequest = new RuntimeRequest(
            execution.RequestMethod, execution.RequestPath, FunctionRequestHeaders.For(execution, background: false, functionKeys.ForExecution(function)),
            requestBody);
        var (invocation, problem) = await code.InvocationAsync(
            function, execution.DeploymentId, execution.VersionId, runtimeRequest, Math.Min(function.Timeout, MaxSyncTimeoutSeconds), ct);
        if (invocation is null)
        {
            execution.FailUnrun(problem!, clock.GetUtcNow());
            return SynchronousRun.Unanswered;
        }

        var run = await executor.ExecuteAsync(invocation, ct);
        ExecutionOutcome.Record(execution, function, run, keepBody: true, clock.GetUtcNow());
        var answered = run.Failure is RuntimeFailure.None or RuntimeFailure.FunctionError;
        return new SynchronousRun(run.Failure == RuntimeFailure.TimedOut && function.Timeout > MaxSyncTimeoutSeconds, answered ? run.Body : []);
    }
}

/// <summary>How a synchronous run ended for the caller waiting on it.</summary>
/// <param name="StoppedAtSyncLimit">Stopped by the synchronous limit rather than by the function's own timeout.</param>
/// <param name="ResponseBody">
/// The body exactly as the function returned it (empty when it did not answer). The execution record keeps it as UTF-8
/// text, which cannot carry binary data: a caller answering with the function's own bytes takes them from here.
/// </param>
internal sealed record SynchronousRun(bool StoppedAtSyncLimit, byte[] ResponseBody)
{
    public static readonly SynchronousRun Unanswered = new(false, []);
}
