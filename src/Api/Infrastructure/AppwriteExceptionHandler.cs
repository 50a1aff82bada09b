using Microsoft.AspNetCore.Diagnostics;

namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>/v1: Appwrite's error body <c>{ message, code, type, version }</c>; the SDK reads the HTTP status.</summary>
public sealed class AppwriteExceptionHandler(ILogger<AppwriteExceptionHandler> logger) : IExceptionHandler
{
    public const string ServerVersion = "1.9.6";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!httpContext.Request.Path.StartsWithSegments("/v1"))
        {
            return false;
        }

        var error = ErrorTranslation.Translate(exception);
        if (error is null)
        {
            logger.LogError(exception, "Unhandled exception on {Path}", httpContext.Request.Path);
            error = new TranslatedError(500, "Server error", "Server Error", "general_unknown");
        }

        httpContext.Response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } retry)
        {
            httpContext.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await httpContext.Response.WriteAsJsonAsync(new { message = error.Detail, code = error.Status, type = error.AppwriteType, version = ServerVersion }, cancellationToken);
        return true;
    }
}
