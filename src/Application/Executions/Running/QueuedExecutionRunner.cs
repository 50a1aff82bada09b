using System.Text;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Executions.Specifications;
using FunctionsPlatform.Application.FunctionVersions.Specifications;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;
using FunctionsPlatform.Domain.Variables;
using FunctionsPlatform.Application.Variables.Specifications;

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
    IReadRepository<FunctionVersion> versions,
    IUnitOfWork unitOfWork,
    IRuntimeExecutor executor,
    IReadRepository<Variable> variables,
    TimeProvider clock) : IQueuedExecutionRunner
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
        var version = execution.VersionId is null ? null : await versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(execution.VersionId), ct);
        var problem = execution.Attempts > MaxAttempts ? $"Abandoned after {MaxAttempts} attempts: the execution never finished."
            : function is null || function.IsDeleted ? "The function no longer exists."
            : version is null || version.IsDeleted ? "The function has no runnable version."
            : null;
        if (problem is not null)
        {
            execution.Fail(problem, "", 0, clock.GetUtcNow());
            await unitOfWork.SaveChangesAsync(CancellationToken.None);
            return;
        }

        var request = new RuntimeRequest(
            execution.RequestMethod, execution.RequestPath,
            execution.RequestHeaders.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(),
            Encoding.UTF8.GetBytes(execution.RequestBody ?? ""));
        var run = await executor.ExecuteAsync(ExecutionInvocations.For(function!, version!, await variables.ListAsync(new VariablesOfFunctionSpec(function!.Id), ct), request, function!.Timeout), ct);
        var now = clock.GetUtcNow();
        if (run.Failure is RuntimeFailure.None or RuntimeFailure.FunctionError)
        {
            // Appwrite keeps no response body for asynchronous executions.
            execution.Complete(run.StatusCode, null, run.Headers.Select(h => new HeaderPair(h.Key, h.Value)).ToList(), run.Logs, run.Errors, run.Duration.TotalSeconds, now);
        }
        else
        {
            execution.Fail(run.Errors, run.Logs, run.Duration.TotalSeconds, now, run.StatusCode == 0 ? 500 : run.StatusCode);
        }

        await unitOfWork.SaveChangesAsync(CancellationToken.None);
    }
}
