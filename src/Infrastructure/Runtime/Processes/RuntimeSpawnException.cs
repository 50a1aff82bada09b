namespace FunctionsPlatform.Infrastructure.Runtime.Processes;

/// <summary>The OS could not start the interpreter: the one failure the start pipeline retries.</summary>
internal sealed class RuntimeSpawnException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The function's code did not load (syntax error, missing export, crash at import): never retried.</summary>
internal sealed class RuntimeLoadException(string message) : Exception(message);

/// <summary>The process died before a request queued on it had its turn: the request never ran and may go to another process.</summary>
internal sealed class RequestNotStartedException(string message, Exception? inner = null) : Exception(message, inner);
