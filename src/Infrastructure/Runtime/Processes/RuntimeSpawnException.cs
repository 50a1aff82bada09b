namespace FunctionsPlatform.Infrastructure.Runtime.Processes;

/// <summary>The OS could not start the interpreter: the one failure the start pipeline retries.</summary>
internal sealed class RuntimeSpawnException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The function's code did not load (syntax error, missing export, crash at import): never retried.</summary>
internal sealed class RuntimeLoadException(string message) : Exception(message);
