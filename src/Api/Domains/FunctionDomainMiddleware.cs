using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.ProxyRules;
using FunctionsPlatform.Application.ProxyRules.Commands.ServeFunctionDomain;
using MediatR;

namespace FunctionsPlatform.Api.Domains;

/// <summary>
/// Serves requests whose host is a subdomain of <c>Domains:FunctionsDomain</c>: the function its proxy rule names runs
/// with the request (method, path and query, headers, body) and its response is the answer. Nothing else of the API is
/// reachable on those hosts; errors there take Appwrite's body.
/// </summary>
public sealed class FunctionDomainMiddleware(RequestDelegate next, DomainSettings settings)
{
    public const string RequestItem = "FunctionsPlatform.FunctionDomain";

    /// <summary>Connection-level headers, which describe this hop rather than the request, and what Kestrel computes itself.</summary>
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "content-length",
    };

    // Every request passes here and nearly none is for a function: the raw host is matched in place, and nothing (no
    // async state, not even the mediator) is made or copied until it is.
    public Task InvokeAsync(HttpContext context) =>
        settings.IsFunctionsSubdomain(HostName(context.Request.Host.Value)) ? ServeAsync(context) : next(context);

    private static async Task ServeAsync(HttpContext context)
    {
        context.Items[RequestItem] = true;
        var request = context.Request;
        var body = await ReadBodyAsync(request, context.RequestAborted);
        var command = new ServeFunctionDomainCommand(request.Host.Host, request.Method, request.Path.ToString() + request.QueryString, ForwardedHeaders(request), body);
        var response = await context.RequestServices.GetRequiredService<IMediator>().Send(command, context.RequestAborted);
        await WriteAsync(context.Response, response, HttpMethods.IsHead(request.Method));
    }

    /// <summary>A Host header's host name: its port removed, an IPv6 literal (<c>[::1]:5080</c>) kept whole.</summary>
    private static ReadOnlySpan<char> HostName(string? host)
    {
        var value = host.AsSpan();
        var portColon = value.LastIndexOf(':');
        return portColon < 0 || value.LastIndexOf(']') > portColon ? value : value[..portColon];
    }

    /// <summary>The headers a function may see: valid names, none of the platform's own, no hop-by-hop ones.</summary>
    private static Dictionary<string, string> ForwardedHeaders(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            if (!HopHeaders.Contains(name) && !ExecutionRequestRules.IsReserved(name) && ExecutionRequestRules.IsValidHeaderName(name))
            {
                headers[name.ToLowerInvariant()] = values.ToString();
            }
        }

        return headers;
    }

    /// <summary>At most one byte past the limit is read, so an oversized body is refused without being buffered whole.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var content = new MemoryStream();
        int read;
        while (content.Length <= ExecutionRequestRules.MaxBodyLength
               && (read = await request.Body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, ExecutionRequestRules.MaxBodyLength + 1 - content.Length)), ct)) > 0)
        {
            content.Write(buffer, 0, read);
        }

        return content.GetBuffer().AsMemory(0, (int)content.Length);
    }

    /// <summary>The function's status, headers and body bytes as it returned them; a run that failed before answering is a 500 with no body.</summary>
    private static async Task WriteAsync(HttpResponse response, FunctionDomainResponse answer, bool headRequest)
    {
        response.StatusCode = answer.StatusCode is >= 100 and <= 599 ? answer.StatusCode : StatusCodes.Status500InternalServerError;
        foreach (var header in answer.Headers)
        {
            if (!HopHeaders.Contains(header.Name))
            {
                response.Headers.Append(header.Name, header.Value);
            }
        }

        // No body on a HEAD answer, nor on the statuses HTTP defines without one (Kestrel refuses to write it).
        if (answer.Body.Length > 0 && !headRequest && response.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified))
        {
            response.ContentLength = answer.Body.Length;
            await response.Body.WriteAsync(answer.Body, response.HttpContext.RequestAborted);
        }
    }
}
