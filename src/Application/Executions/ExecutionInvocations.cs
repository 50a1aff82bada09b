using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Executions;

/// <summary>Builds the runtime's view of one call from the domain: code, limits, variables.</summary>
internal static class ExecutionInvocations
{
    public static RuntimeInvocation For(
        RunnableVersion runnable, IReadOnlyDictionary<string, string> variables, RuntimeRequest request, int timeoutSeconds)
    {
        return For(runnable.Function, CodeOf(runnable), variables, request, timeoutSeconds);
    }

    /// <summary>A version's files as the executor runs them; keyed by the version and its stamp, which every change to the files renews.</summary>
    public static CodeBundle CodeOf(RunnableVersion runnable) =>
        CodeBundle.FromFiles(
            runnable.Entrypoint, runnable.Version.Files.Select(f => new CodeFile(f.Path, f.Content)).ToList(),
            filesKey: $"{runnable.Version.Id}:{runnable.Version.ConcurrencyStamp:N}");

    public static RuntimeInvocation For(
        Function function, CodeBundle code, IReadOnlyDictionary<string, string> variables, RuntimeRequest request, int timeoutSeconds) =>
        new(function.Id, function.Name, function.Runtime, code, request, RuntimeLimits.FromSpecification(function.RuntimeSpecification, timeoutSeconds))
        {
            // A changed value changes the warm pool key, so no process keeps running with stale variables.
            Variables = variables,
            ProcessConcurrency = function.ProcessConcurrency,
            WorkspaceId = function.WorkspaceId,
        };

    /// <summary>
    /// The run as the execution records it: the function answered unless the runtime could not carry the call out.
    /// <paramref name="body"/> is what to keep of the response (none for asynchronous runs, as Appwrite does).
    /// </summary>
    public static RunOutcome Outcome(this RuntimeResult run, string? body, string errors) =>
        new(run.Failure is RuntimeFailure.None or RuntimeFailure.FunctionError,
            run.StatusCode, body, [.. run.Headers.Select(h => new HeaderPair(h.Key, h.Value))], run.Logs, errors, run.Duration.TotalSeconds,
            PlatformFailureOf(run.Failure), run.ColdStart, run.ColdStart ? run.InitTime.TotalSeconds : 0);

    /// <summary>The record's kind of a run the function did not answer (ignored when it answered).</summary>
    public static ExecutionErrorKind PlatformFailureOf(RuntimeFailure failure) => failure switch
    {
        RuntimeFailure.LoadFailed => ExecutionErrorKind.LoadFailed,
        RuntimeFailure.TimedOut => ExecutionErrorKind.Timeout,
        RuntimeFailure.ProcessExited => ExecutionErrorKind.ProcessExited,
        _ => ExecutionErrorKind.SpawnFailed,
    };
}
