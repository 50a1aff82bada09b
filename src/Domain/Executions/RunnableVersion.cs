using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Domain.Executions;

/// <summary>
/// A version that may run, with the file it starts from. Invoke, queued runs and pre-warm all go through
/// <see cref="Of"/>, so the three agree on what may run and how.
/// </summary>
public sealed record RunnableVersion
{
    /// <summary>A synchronous call never waits longer than Appwrite's 30 s, whatever the function's timeout.</summary>
    public const int MaxSynchronousTimeoutSeconds = 30;

    /// <summary>The files looked for, in this order, when the function names no entrypoint.</summary>
    public static readonly IReadOnlyList<string> ConventionalEntrypoints = ["index.js", "index.mjs", "main.py"];

    private RunnableVersion(Function function, FunctionVersion version, string entrypoint)
    {
        Function = function;
        Version = version;
        Entrypoint = entrypoint;
    }

    public Function Function { get; }
    public FunctionVersion Version { get; }
    public string Entrypoint { get; }

    /// <summary>The function's timeout, capped for a caller that waits on the answer.</summary>
    public int SynchronousTimeoutSeconds => Math.Min(Function.Timeout, MaxSynchronousTimeoutSeconds);

    /// <summary>
    /// The version a run of a live function uses: the one asked for, else the function's default
    /// (<see cref="ExecutionErrors.NoDefaultVersion"/> when it has none).
    /// </summary>
    public static string VersionIdToRun(Function function, string? requestedVersionId)
    {
        function.EnsureLive();
        return requestedVersionId ?? function.DefaultVersionId ?? throw new DomainException(ExecutionErrors.NoDefaultVersion);
    }

    /// <summary>
    /// Refuses a soft-deleted function (<see cref="FunctionErrors.Deleted"/>), a soft-deleted version
    /// (<see cref="FunctionVersionErrors.Deleted"/>) and another function's version.
    /// </summary>
    public static RunnableVersion Of(Function function, FunctionVersion version)
    {
        if (version.FunctionId != function.Id)
        {
            throw new DomainException(FunctionErrors.VersionOfAnotherFunction);
        }

        function.EnsureLive();
        version.EnsureLive();
        return new RunnableVersion(function, version, EntrypointOf(function, version));
    }

    /// <summary>
    /// The file to load: the function's entrypoint when set, else the first of <see cref="ConventionalEntrypoints"/> among
    /// the files. With neither, the runtime's own conventional file, so the run fails saying which file is missing.
    /// </summary>
    public static string EntrypointOf(Function function, FunctionVersion version)
    {
        if (!string.IsNullOrEmpty(function.Entrypoint))
        {
            return function.Entrypoint;
        }

        return ConventionalEntrypoints.FirstOrDefault(e => version.Files.Any(f => f.Path == e))
            ?? (function.Runtime.StartsWith("python", StringComparison.Ordinal) ? "main.py" : "index.js");
    }
}
