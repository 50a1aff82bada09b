using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>/api (and anything not /v1): RFC 9457 problem details, <c>errors</c> keyed by field path. Never a stack trace.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (AppwriteErrors.IsAppwritePath(httpContext.Request))
        {
            return false;
        }

        var error = ErrorTranslation.Translate(exception);
        if (error is null)
        {
            if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            logger.LogError(exception, "Unhandled exception on {Path}", httpContext.Request.Path);
            error = new TranslatedError(500, "Server error", "An unexpected error occurred.", "general_unknown");
        }

        httpContext.Response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } retry)
        {
            httpContext.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var details = error.Errors is null
            ? new ProblemDetails()
            : new ValidationProblemDetails(error.Errors.ToDictionary(e => e.Key, e => e.Value));
        details.Status = error.Status;
        details.Title = error.Title;
        details.Detail = error.Detail;
        details.Type = $"https://httpstatuses.io/{error.Status}";
        details.Extensions["code"] = error.AppwriteType;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
