namespace FunctionsPlatform.Application.Common.Errors;

/// <summary>Base of the errors the Api turns into problem details (/api) or Appwrite error bodies (/v1).</summary>
public abstract class AppException(string message, string appwriteType) : Exception(message)
{
    public string AppwriteType { get; } = appwriteType;
}

/// <summary>404: missing, or in a workspace the caller cannot see (indistinguishable on purpose).</summary>
public sealed class NotFoundException(string resource, string? id, string appwriteType = "general_not_found")
    : AppException(id is null ? $"{resource} not found." : $"{resource} '{id}' not found.", appwriteType)
{
    public string Resource { get; } = resource;
}

public sealed class UnauthorizedException(string message = "Missing or invalid API key.", string appwriteType = "general_unauthorized_scope")
    : AppException(message, appwriteType);

public sealed class ForbiddenException(string message, string appwriteType = "general_unauthorized_scope")
    : AppException(message, appwriteType);

public sealed class ConflictException(string message, string appwriteType = "general_bad_request")
    : AppException(message, appwriteType);

/// <summary>408: the caller stopped waiting for work that was still going (the work itself was ended and recorded).</summary>
public sealed class RequestTimeoutException(string message, string appwriteType)
    : AppException(message, appwriteType);

/// <summary>429: a concurrency limit refused the request.</summary>
public sealed class TooManyRequestsException(string message, int? retryAfterSeconds = null)
    : AppException(message, "general_rate_limit_exceeded")
{
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>400 with per-field messages; field names are wire paths (<c>name</c>, <c>filter.OR[2].name.icontains</c>).</summary>
public sealed class ValidationException : AppException
{
    public ValidationException(IReadOnlyDictionary<string, string[]> errors, string appwriteType = "general_argument_invalid")
        : base(Describe(errors), appwriteType) => Errors = errors;

    public ValidationException(string field, string message, string appwriteType = "general_argument_invalid")
        : this(new Dictionary<string, string[]> { [field] = [message] }, appwriteType)
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        errors.Count == 0 ? "One or more validation errors occurred." : string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}
