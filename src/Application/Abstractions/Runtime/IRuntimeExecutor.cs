namespace FunctionsPlatform.Application.Abstractions.Runtime;

/// <summary>
/// Runs a function's code out of process: a warm interpreter per bundle and variable set, reused between calls.
/// User-code failures come back as a failed <see cref="RuntimeResult"/>; only refusals by a concurrency limit throw
/// (<see cref="Common.Errors.TooManyRequestsException"/>).
/// </summary>
public interface IRuntimeExecutor
{
    Task<RuntimeResult> ExecuteAsync(RuntimeInvocation invocation, CancellationToken cancellationToken);

    /// <summary>Starts processes until this code and variable set has <paramref name="processes"/> idle ones (within the pool's caps); the request is not run.</summary>
    Task PrewarmAsync(RuntimeInvocation invocation, int processes, CancellationToken cancellationToken);

    /// <summary>
    /// Puts the code on disk ready to run (written or extracted once, content-addressed, listed for a generic process's
    /// code view), so the first call finds it there instead of writing it. Repeating it for the same code costs nothing.
    /// Bad code (a path escaping the bundle, clashing files) throws <see cref="InvalidDataException"/>.
    /// </summary>
    Task PrepareAsync(CodeBundle code, CancellationToken cancellationToken);

    /// <summary>
    /// Idle processes to start for a function's code as soon as it becomes the default version (or active deployment),
    /// so its first call is warm; 0 = off. The executor's setting (<c>Runtime:PrewarmOnActivate</c>).
    /// </summary>
    int PrewarmOnActivate { get; }

    /// <summary>Drops the function's warm processes: idle ones now, busy ones when their call ends.</summary>
    void EvictFunction(string functionId);
}
