using FunctionsPlatform.Api.Endpoints.Appwrite;

namespace FunctionsPlatform.Api.Authentication;

/// <summary>
/// The console session cookie, <c>a_session_console</c>, as Appwrite names it. Read on /v1 only, and only from requests
/// that also carry <c>X-Appwrite-Project</c>: a browser cannot add that header to a cross-site request without a CORS
/// preflight this server never grants, so another site cannot ride a signed-in browser's cookie.
/// </summary>
public static class SessionCookie
{
    public const string Name = "a_session_console";

    public static string? Read(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/v1") || request.Headers[AppwriteRequest.ProjectHeader].Count == 0)
        {
            return null;
        }

        // Parsed by hand: the CLI sends back the whole Set-Cookie line it stored ("a_session_console=…; expires=…; path=/"),
        // whose comma-bearing date the framework's cookie parser may reject as a whole.
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var part in (header ?? "").Split(';'))
            {
                var pair = part.AsSpan().Trim();
                if (pair.StartsWith(Name + "=", StringComparison.Ordinal))
                {
                    var value = pair[(Name.Length + 1)..].Trim().ToString();
                    return value.Length > 0 ? value : null;
                }
            }
        }

        return null;
    }

    /// <summary>The Set-Cookie line that opens a session: HttpOnly, same-site only, until the session ends.</summary>
    public static void Write(HttpResponse response, string secret, DateTimeOffset expiresAt) =>
        response.Cookies.Append(Name, secret, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Expires = expiresAt,
        });

    public static void Clear(HttpResponse response) =>
        response.Cookies.Delete(Name, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
}
