using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>
/// Holds every request body to the content types its route declares, on both surfaces, before any handler reads it:
/// a wrong or missing <c>Content-Type</c> is a 415, a missing required body a 400, never a reader's exception (a 500).
/// The declaration is the route's <see cref="IAcceptsMetadata"/>: minimal APIs add it for a bound body (JSON); a route
/// that reads the body itself declares it with <c>.Accepts&lt;T&gt;(isOptional, "application/json")</c>, and a route that
/// takes uploads names <c>multipart/form-data</c> the same way. Errors are thrown as <see cref="BadHttpRequestException"/>
/// so each surface's exception handler writes them in its own format.
/// </summary>
public sealed class RequestContentTypeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var accepts = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>();
        if (accepts is null || accepts.ContentTypes.Count == 0)
        {
            return next(context);
        }

        var request = context.Request;
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (!hasBody)
        {
            if (!accepts.IsOptional && string.IsNullOrEmpty(request.ContentType))
            {
                throw new BadHttpRequestException($"This request needs a body ({Expected(accepts)}).", StatusCodes.Status400BadRequest);
            }

            // An optional body may be left out; a required one sent empty is the body reader's 400.
            if (accepts.IsOptional || RequestContentTypes.Matches(request.ContentType, accepts.ContentTypes))
            {
                return next(context);
            }
        }

        if (!RequestContentTypes.Matches(request.ContentType, accepts.ContentTypes))
        {
            var given = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type '{Shorten(request.ContentType)}'";
            throw new BadHttpRequestException($"The body was sent with {given}; this route accepts {Expected(accepts)}.", StatusCodes.Status415UnsupportedMediaType);
        }

        return next(context);
    }

    private static string Expected(IAcceptsMetadata accepts) => string.Join(" or ", accepts.ContentTypes);

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;
}

public static class RequestContentTypes
{
    /// <summary>
    /// Whether a request's <c>Content-Type</c> is one of the declared media types (parameters such as charset or a
    /// multipart boundary aside). A declared <c>application/json</c> also takes the structured <c>application/*+json</c>.
    /// </summary>
    public static bool Matches(string? contentType, IReadOnlyList<string> declared)
    {
        // The common case, a bare declared type (application/json), needs no parse (the parse allocates per request).
        foreach (var accepted in declared)
        {
            if (string.Equals(contentType, accepted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType)
        {
            return false;
        }

        foreach (var accepted in declared)
        {
            if (string.Equals(mediaType, accepted, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(accepted, "application/json", StringComparison.OrdinalIgnoreCase)
                && mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
