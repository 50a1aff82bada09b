using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Executions;

/// <summary>Writes a runtime result onto its execution, honouring the function's <c>logging</c> switch.</summary>
internal static class ExecutionOutcome
{
    public static void Record(Execution execution, Function function, RuntimeResult run, bool keepBody, DateTimeOffset now)
    {
        // logging: false keeps the function's own output out of the record; platform failures are still explained.
        var logs = function.Logging ? run.Logs : "";
        var errors = function.Logging ? run.Errors : "";
        if (run.Failure is RuntimeFailure.None or RuntimeFailure.FunctionError)
        {
            var headers = run.Headers.Select(h => new HeaderPair(h.Key, h.Value)).ToList();
            execution.Complete(run.StatusCode, keepBody ? run.BodyText : null, headers, logs, errors, run.Duration.TotalSeconds, now);
        }
        else
        {
            execution.Fail(function.Logging || run.Failure != RuntimeFailure.LoadFailed ? run.Errors : "", logs, run.Duration.TotalSeconds, now,
                run.StatusCode == 0 ? 500 : run.StatusCode);
        }
    }
}
