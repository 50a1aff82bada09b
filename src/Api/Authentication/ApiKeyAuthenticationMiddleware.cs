using FunctionsPlatform.Application.Abstractions.Security;

namespace FunctionsPlatform.Api.Authentication;

/// <summary>
/// Reads the caller's token (<c>Authorization: Bearer</c> on /api and /v1, <c>X-Appwrite-Key</c> on /v1) and signs the
/// request's <see cref="CurrentPrincipal"/> in; without a token, a /v1 request may carry a console session's cookie
/// (<c>appwrite login</c>). Whether a request needs a caller is the authorization behaviour's call.
/// </summary>
public sealed class ApiKeyAuthenticationMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, CurrentPrincipal principal, IApiKeyAuthenticator authenticator, ISessionAuthenticator sessions)
    {
        var token = ReadToken(context.Request);
        if (token is not null)
        {
            if (await authenticator.AuthenticateAsync(token, context.RequestAborted) is { } key)
            {
                principal.SignIn(key);
            }
        }
        else if (SessionCookie.Read(context.Request) is { } secret
            && await sessions.AuthenticateAsync(secret, context.RequestAborted) is { } sessionKey)
        {
            principal.SignIn(sessionKey);
        }

        await next(context);
    }

    private static string? ReadToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var appwriteKey = request.Headers["X-Appwrite-Key"].ToString();
        return appwriteKey.Length > 0 ? appwriteKey : null;
    }
}
