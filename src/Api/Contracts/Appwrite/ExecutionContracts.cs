using System.Globalization;
using System.Text.Json.Nodes;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Body of POST /v1/functions/{id}/executions; every field optional.</summary>
public sealed record ExecutionRequest
{
    public string? Body { get; init; }
    public bool? Async { get; init; }
    public string? Path { get; init; }
    public string? Method { get; init; }
    public Dictionary<string, string>? Headers { get; init; }
    public string? ScheduledAt { get; init; }

    /// <summary>ISO 8601 with an offset (or UTC when none); <c>null</c> or <c>""</c> is no schedule; anything else is a 400.</summary>
    public DateTimeOffset? ScheduledAtValue()
    {
        if (string.IsNullOrWhiteSpace(ScheduledAt))
        {
            return null;
        }

        return DateTimeOffset.TryParse(ScheduledAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new ValidationException("scheduledAt", "Value must be valid date in ISO 8601 format.");
    }
}

/// <summary>
/// Appwrite's Execution model: every field always present. Request headers are shown only for the names Appwrite
/// shows (the rest may carry secrets the caller sent to the function); the function is <c>functionId</c> up to format
/// 1.9.5 and <c>resourceId</c> + <c>resourceType</c> after.
/// </summary>
public static class ExecutionModel
{
    private static readonly HashSet<string> ShownRequestHeaders =
        new(["content-type", "agent", "content-length", "host", "x-appwrite-client-ip"], StringComparer.OrdinalIgnoreCase);

    public static JsonObject From(ExecutionDto e, AppwriteResponseFormat format)
    {
        var model = new JsonObject
        {
            ["$id"] = e.Id,
            ["$createdAt"] = AppwriteDate.Format(e.CreatedAt),
            ["$updatedAt"] = AppwriteDate.Format(e.UpdatedAt),
            // Document permissions are not modelled: every caller that may list the function's executions sees them all.
            ["$permissions"] = new JsonArray(),
        };
        if (format.ExecutionFunctionIdField)
        {
            model["functionId"] = e.FunctionId;
        }
        else
        {
            model["resourceId"] = e.FunctionId;
            model["resourceType"] = "functions";
        }

        model["deploymentId"] = e.DeploymentId ?? "";
        model["trigger"] = e.Trigger;
        model["status"] = e.Status;
        model["requestMethod"] = e.RequestMethod;
        model["requestPath"] = e.RequestPath;
        model["requestHeaders"] = Headers(e.RequestHeaders.Where(h => ShownRequestHeaders.Contains(h.Name)));
        model["responseStatusCode"] = e.ResponseStatusCode;
        model["responseBody"] = e.ResponseBody;
        model["responseHeaders"] = Headers(e.ResponseHeaders);
        model["logs"] = e.Logs;
        model["errors"] = e.Errors;
        model["duration"] = e.Duration;
        model["scheduledAt"] = e.ScheduledAt is null ? null : AppwriteDate.Format(e.ScheduledAt);
        return model;
    }

    private static JsonArray Headers(IEnumerable<HeaderPair> headers) =>
        new([.. headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["value"] = h.Value })]);
}
