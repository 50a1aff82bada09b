using System.Text;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Application.Executions.Specifications;
using FunctionsPlatform.Application.FunctionVersions.Specifications;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Domain.Common;
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

    /// <summary>The domain's verdict on running this version now: runnable, or why not (the execution records it).</summary>
    private static (RunnableVersion? Runnable, string? Problem) Runnable(Execution execution, Function? function, FunctionVersion? version)
    {
        if (execution.Attempts > MaxAttempts)
        {
            return (null, $"Abandoned after {MaxAttempts} attempts: the execution never finished.");
        }

        if (function is null)
        {
            return (null, "The function no longer exists.");
        }

        if (version is null)
        {
            return (null, "The function has no runnable version.");
        }

        try
        {
            return (RunnableVersion.Of(function, version), null);
        }
        catch (DomainException refused)
        {
            return (null, refused.Error.Message);
        }
    }

    public async Task RunAsync(string executionId, string owner, CancellationToken ct)
    {
        var execution = await executions.FirstOrDefaultAsync(new ExecutionByIdSpec(executionId, tracking: true), ct);
        if (execution is null || execution.IsFinished || execution.LeaseOwner != owner)
        {
            return;
        }

        var function = await functions.FirstOrDefaultAsync(new FunctionByIdSpec(execution.FunctionId), ct);
        var version = execution.VersionId is null ? null : await versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(execution.VersionId), ct);
        var (runnable, problem) = Runnable(execution, function, version);
        if (runnable is null)
        {
            execution.FailUnrun(problem!, clock.GetUtcNow());
            await unitOfWork.SaveChangesAsync(CancellationToken.None);
            return;
        }

        var request = new RuntimeRequest(
            execution.RequestMethod, execution.RequestPath,
            execution.RequestHeaders.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(),
            Encoding.UTF8.GetBytes(execution.RequestBody ?? ""));
        var functionVariables = await variables.ListAsync(new VariablesOfFunctionSpec(runnable.Function.Id), ct);
        var run = await executor.ExecuteAsync(ExecutionInvocations.For(runnable, functionVariables, request, runnable.Function.Timeout), ct);
        // Appwrite keeps no response body for asynchronous executions.
        execution.Conclude(run.Outcome(body: null, run.Errors), clock.GetUtcNow());
        await unitOfWork.SaveChangesAsync(CancellationToken.None);
    }
}
