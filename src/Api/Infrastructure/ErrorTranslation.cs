using System.Text.Json;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>An error as both surfaces report it: HTTP status, message, per-field errors and the Appwrite type.</summary>
public sealed record TranslatedError(int Status, string Title, string Detail, string AppwriteType, IReadOnlyDictionary<string, string[]>? Errors = null, int? RetryAfterSeconds = null);

public static class ErrorTranslation
{
    public static TranslatedError? Translate(Exception exception) => exception switch
    {
        ValidationException v => new(400, "Validation failed", v.Message, v.AppwriteType, v.Errors),
        NotFoundException n => new(404, "Not found", n.Message, n.AppwriteType),
        UnauthorizedException u => new(401, "Unauthorized", u.Message, u.AppwriteType),
        ForbiddenException f => new(403, "Forbidden", f.Message, f.AppwriteType),
        ConflictException c => new(409, "Conflict", c.Message, c.AppwriteType),
        RequestTimeoutException r => new(408, "Request timeout", r.Message, r.AppwriteType),
        TooManyRequestsException t => new(429, "Too many requests", t.Message, t.AppwriteType, RetryAfterSeconds: t.RetryAfterSeconds),
        DomainException d => FromDomain(d.Error),
        BadHttpRequestException b => FromBadRequest(b),
        JsonException j => FromJson(j),
        _ => null,
    };

    private static TranslatedError FromDomain(DomainError error) => error.Kind switch
    {
        ErrorKind.NotFound => new(404, "Not found", error.Message, error.AppwriteType),
        ErrorKind.Conflict => new(409, "Conflict", error.Message, error.AppwriteType),
        ErrorKind.Forbidden => new(403, "Forbidden", error.Message, error.AppwriteType),
        _ => new(400, "Validation failed", error.Message, error.AppwriteType, FieldErrors(error)),
    };

    /// <summary>The error under the field it names; a rule no single field broke has no <c>errors</c> entry.</summary>
    public static IReadOnlyDictionary<string, string[]>? FieldErrors(DomainError error) =>
        error.Field is null ? null : new Dictionary<string, string[]> { [error.Field] = [error.Message] };

    private static TranslatedError FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(413, "Payload too large", "The request body is too large.", "storage_file_size");
        }

        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new(415, "Unsupported media type", exception.Message, "general_argument_invalid");
        }

        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return FromJson(json);
            }
        }

        return new(exception.StatusCode, "Bad request", exception.Message, "general_argument_invalid");
    }

    private static TranslatedError FromJson(JsonException exception)
    {
        var field = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "body" : exception.Path.TrimStart('$', '.');
        var message = exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "Unknown property."
            : exception.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? "Wrong type."
                : "Malformed JSON.";
        return new(400, "Validation failed", $"{field}: {message}", "general_argument_invalid", new Dictionary<string, string[]> { [field] = [message] });
    }
}
