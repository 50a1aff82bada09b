using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.Contracts.Appwrite;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Api.Endpoints.Appwrite;

/// <summary>What every /v1 endpoint reads (the project, the body) and how it answers (Appwrite JSON).</summary>
public static class AppwriteRequest
{
    public const string ProjectHeader = "X-Appwrite-Project";

    /// <summary>The workspace the request addresses: Appwrite's project id. Missing = <c>project_not_found</c>.</summary>
    public static string Project(HttpRequest request)
    {
        var project = request.Headers[ProjectHeader].ToString().Trim();
        return project.Length > 0
            ? project
            : throw new NotFoundException("Project", null, "project_not_found");
    }

    /// <summary>
    /// The JSON body; empty (or <c>null</c>) reads as no fields, so the validators name what is missing. This is the
    /// one place /v1 reads JSON bodies: the routes that take one declare <c>Accepts&lt;T&gt;("application/json")</c>,
    /// which is where a content-type rule (415) attaches.
    /// </summary>
    public static async Task<T> BodyAsync<T>(HttpRequest request, CancellationToken ct) where T : new()
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new T();
        }

        return JsonSerializer.Deserialize<T>(bytes.Span, AppwriteJson.Options) ?? new T();
    }

    public static IResult Json(JsonNode model, int status = StatusCodes.Status200OK) =>
        Results.Json(model, AppwriteJson.Options, "application/json", status);

    public static AppwriteResponseFormat Format(HttpRequest request) => AppwriteResponseFormat.Of(request);
}
