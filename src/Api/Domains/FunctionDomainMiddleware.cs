using System.Text;
using FunctionsPlatform.Application.Executions;
using FunctionsPlatform.Application.ProxyRules;
using FunctionsPlatform.Application.ProxyRules.Commands.ServeFunctionDomain;
using FunctionsPlatform.Domain.ProxyRules;
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

    public async Task InvokeAsync(HttpContext context, IMediator sender)
    {
        var host = ProxyRule.Normalize(context.Request.Host.Host);
        if (settings.FunctionsDomain.Length == 0 || !host.EndsWith("." + settings.FunctionsDomain, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        context.Items[RequestItem] = true;
        var request = context.Request;
        var body = await ReadBodyAsync(request, context.RequestAborted);
        var command = new ServeFunctionDomainCommand(host, request.Method, request.Path.ToString() + request.QueryString, ForwardedHeaders(request), body);
        var execution = await sender.Send(command, context.RequestAborted);
        await WriteAsync(context.Response, execution);
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
    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var content = new MemoryStream();
        int read;
        while (content.Length <= ExecutionRequestRules.MaxBodyLength
               && (read = await request.Body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, ExecutionRequestRules.MaxBodyLength + 1 - content.Length)), ct)) > 0)
        {
            content.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length);
    }

    /// <summary>The function's status, headers and body; a run that failed before answering is a 500 with no body.</summary>
    private static async Task WriteAsync(HttpResponse response, ExecutionDto execution)
    {
        response.StatusCode = execution.ResponseStatusCode is >= 100 and <= 599 ? execution.ResponseStatusCode : StatusCodes.Status500InternalServerError;
        foreach (var header in execution.ResponseHeaders)
        {
            if (!HopHeaders.Contains(header.Name))
            {
                response.Headers.Append(header.Name, header.Value);
            }
        }

        if (execution.ResponseBody.Length > 0 && !HttpMethods.IsHead(execution.RequestMethod))
        {
            await response.WriteAsync(execution.ResponseBody, Encoding.UTF8);
        }
    }
}
