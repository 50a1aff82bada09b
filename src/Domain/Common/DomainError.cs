namespace FunctionsPlatform.Domain.Common;

public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>
/// A named rule violation: a stable code, its kind (which HTTP status it becomes), the Appwrite error type it maps to on
/// /v1, and the request field it concerns (the key of <c>errors</c> on /api), or none when no single field is at fault.
/// </summary>
public sealed record DomainError(string Code, string Message, ErrorKind Kind, string AppwriteType = "general_argument_invalid", string? Field = null)
{
    public DomainError WithMessage(string message) => this with { Message = message };

    /// <summary>For a rule shared by several fields: the one that broke it this time.</summary>
    public DomainError WithField(string field) => this with { Field = field };
}

public sealed class DomainException(DomainError error) : Exception(error.Message)
{
    public DomainError Error { get; } = error;
}
