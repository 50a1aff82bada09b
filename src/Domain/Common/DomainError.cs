namespace FunctionsPlatform.Domain.Common;

public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>A named rule violation: a stable code, the Appwrite error type it maps to on /v1, and its HTTP-ish kind.</summary>
public sealed record DomainError(string Code, string Message, ErrorKind Kind, string AppwriteType = "general_argument_invalid")
{
    public DomainError WithMessage(string message) => this with { Message = message };
}

public sealed class DomainException(DomainError error) : Exception(error.Message)
{
    public DomainError Error { get; } = error;
}
