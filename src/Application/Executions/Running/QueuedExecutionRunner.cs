using System.Text;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Executions.Specifications;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Executions.Running;

/// <summary>Runs one claimed asynchronous execution to its end (completed or failed), for the background worker.</summary>
public interface IQueuedExecutionRunner
{
    /// <summary>Runs the execution if <paramref name="owner"/> still holds its lease; a finished or lost one is left alone.</summary>
    Task RunAsync(string executionId, string owner, CancellationToken ct);
}

internal sealed class QueuedExecutionRunner(
    IRepository<Execution> executions,
    IReadRepository<Function> functions,
    ExecutionCode code,
    IUnitOfWork unitOfWork,
    IRuntimeExecutor executor,
    IFunctionKeys functionKeys,
    TimeProvider clock,
    Microsoft.Extensions.Logging.ILogger<QueuedExecutionRunner> logger) : IQueuedExecutionRunner
{
    /// <summary>An execution claimed this many times without finishing is poison (it kept killing its worker): failed.</summary>
    public const int MaxAttempts = 3;

    public async Task RunAsync(string executionId, string owner, CancellationToken ct)
    {
        var execution = await executions.FirstOrDefaultAsync(new ExecutionByIdSpec(executionId, tracking: true), ct);
        if (execution is null || execution.IsFinished || execution.LeaseOwner != owner)
        {
            return;
        }

        var function = await functions.FirstOrDefaultAsync(new FunctionByIdSpec(execution.FunctionId), ct);
        var problem = execution.Attempts > MaxAttempts ? $"Abandoned after {MaxAttempts} attempts: the execution never finished."
            : function is null || function.IsDeleted ? "The function no longer exists."
            : null;
        RuntimeInvocation? invocation = null;
        if (problem is null)
        {
            var request = new RuntimeRequest(
                execution.RequestMethod, execution.RequestPath, FunctionRequestHeaders.For(execution, background: true, functionKeys.ForExecution(function!)),
                Encoding.UTF8.GetBytes(execution.RequestBody ?? ""));
            (invocation, problem) = await code.InvocationAsync(function!, execution.DeploymentId, execution.VersionId, request, function!.Timeout, ct);
        }

        if (invocation is null)
        {
            execution.FailUnrun(problem!, clock.GetUtcNow());
            await unitOfWork.SaveChangesAsync(CancellationToken.None);
            ExecutionLog.Finished(logger, execution);
            return;
        }

        var run = await executor.ExecuteAsync(invocation, ct);
        // Appwrite keeps no response body for asynchronous executions.
        ExecutionOutcome.Record(execution, function!, run, keepBody: false, clock.GetUtcNow());

        await unitOfWork.SaveChangesAsync(CancellationToken.None);
        ExecutionLog.Finished(logger, execution);
    }
}
