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
        var answered = run.Failure is RuntimeFailure.None or RuntimeFailure.FunctionError;
        var errors = function.Logging || (!answered && run.Failure != RuntimeFailure.LoadFailed) ? run.Errors : "";
        var outcome = run.Outcome(keepBody ? run.BodyText : null, errors);
        execution.Conclude(function.Logging ? outcome : outcome with { Logs = "" }, now);
    }
}
