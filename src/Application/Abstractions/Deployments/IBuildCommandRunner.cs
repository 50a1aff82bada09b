namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>
/// What a deployment's build commands run with: the source directory (also the output), the environment (the function's
/// variables and its platform variables), the time allowed and the CPUs and memory of the function's build specification.
/// </summary>
public sealed record BuildCommandRequest(
    string DeploymentId,
    string RuntimeId,
    string WorkingDirectory,
    string Commands,
    IReadOnlyDictionary<string, string> Environment,
    TimeSpan Timeout,
    double Cpus = 1,
    int MemoryMb = 1024);

/// <summary>
/// Exit code of the commands, or <see cref="TimedOut"/> when the time ran out and the process tree was killed, or
/// <see cref="Failure"/>: a limit the build broke (its output grew past the size limit…), which fails it whatever the exit code.
/// </summary>
public sealed record BuildCommandResult(int ExitCode, bool TimedOut, string? Failure = null);

/// <summary>
/// Runs a deployment's build commands (<c>npm install</c>, <c>pip install -r requirements.txt</c>…) in its source directory.
/// Output goes to <c>output</c> as it comes (the build log grows while the build runs). Canceling the token kills the
/// whole process tree.
/// </summary>
public interface IBuildCommandRunner
{
    Task<BuildCommandResult> RunAsync(BuildCommandRequest request, Action<string> output, CancellationToken ct);
}
