using FunctionsPlatform.Api.Contracts.Appwrite;
using Microsoft.AspNetCore.Diagnostics;

namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>
/// /v1: every error as Appwrite's body <c>{ message, code, type, version }</c> with Appwrite's type and HTTP status; the
/// SDKs read the status. A parameter error reads <c>Invalid `field` param: reason</c>. Anything unexpected is a 500
/// <c>general_unknown</c> that says nothing about the internals (the details go to the log).
/// </summary>
public sealed class AppwriteExceptionHandler(ILogger<AppwriteExceptionHandler> logger) : IExceptionHandler
{
    public const string ServerVersion = AppwriteErrorBody.ServerVersion;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!AppwriteErrors.IsAppwritePath(httpContext.Request))
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
            error = new TranslatedError(500, "Server error", "Server Error", "general_unknown");
        }

        if (error.RetryAfterSeconds is { } retry)
        {
            httpContext.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await AppwriteErrors.WriteAsync(httpContext, error.Status, error.AppwriteType, MessageOf(exception, error), cancellationToken);
        return true;
    }

    /// <summary>Appwrite's parameter wording: <c>Param "name" is not optional.</c> or <c>Invalid `timeout` param: …</c>.</summary>
    private static string MessageOf(Exception exception, TranslatedError error)
    {
        // Domain rules carry their own sentence; only parameter errors name the parameter.
        if (exception is Domain.Common.DomainException || error.Errors is not { Count: > 0 } errors)
        {
            return error.Detail;
        }

        var (field, messages) = errors.First();
        var message = messages.FirstOrDefault() ?? error.Detail;
        return message.StartsWith("Param \"", StringComparison.Ordinal) ? message : $"Invalid `{field}` param: {message}";
    }
}

/// <summary>Writes Appwrite error bodies, also for errors no exception carries (unknown route, wrong method, 415).</summary>
public static class AppwriteErrors
{
    /// <summary>/v1, or a request to a function's domain (Appwrite answers those errors with its body too).</summary>
    public static bool IsAppwritePath(HttpRequest request) =>
        request.Path.StartsWithSegments("/v1") || request.HttpContext.Items.ContainsKey(Domains.FunctionDomainMiddleware.RequestItem);

    public static async Task WriteAsync(HttpContext context, int status, string type, string message, CancellationToken ct)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(AppwriteErrorBody.Of(status, type, message), AppwriteJson.Options, ct);
    }

    /// <summary>
    /// <c>UseStatusCodePages</c> handler: an empty error response on /v1 gets Appwrite's body (an unknown route is
    /// <c>general_route_not_found</c>); elsewhere the usual problem details.
    /// </summary>
    public static async Task StatusCodePageAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!IsAppwritePath(http.Request))
        {
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = http.Response.StatusCode },
            });
            return;
        }

        var status = http.Response.StatusCode;
        var (type, message) = status switch
        {
            StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed =>
                ("general_route_not_found", "The requested route was not found. Please refer to the API docs and try again."),
            StatusCodes.Status401Unauthorized => ("general_unauthorized_scope", "Missing or invalid API key."),
            StatusCodes.Status403Forbidden => ("general_unauthorized_scope", "The API key lacks the scope this route needs."),
            StatusCodes.Status413PayloadTooLarge => ("storage_file_size", "The request body is too large."),
            StatusCodes.Status415UnsupportedMediaType => ("general_argument_invalid", "Unsupported content type: send application/json."),
            StatusCodes.Status429TooManyRequests => ("general_rate_limit_exceeded", "Rate limit for the current endpoint has been exceeded."),
            < 500 => ("general_argument_invalid", "The request is invalid."),
            _ => ("general_unknown", "Server Error"),
        };
        await WriteAsync(http, status, type, message, http.RequestAborted);
    }
}
