using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Executions;

/// <summary>Why a function cannot run now. A soft-deleted function or version answers with its own entity's error.</summary>
public static class ExecutionErrors
{
    public static readonly DomainError NoDefaultVersion = new(
        "execution.no_default_version", "The function has no default version: create one or pass versionId.", ErrorKind.Conflict, "general_bad_request");
}
