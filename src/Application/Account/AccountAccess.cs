using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Application.Account;

internal static class AccountAccess
{
    /// <summary>The caller's session id; an API key (or a function's key) has no account, as in Appwrite.</summary>
    public static string RequireSession(ICurrentPrincipal principal) =>
        principal.SessionId ?? throw new UnauthorizedException("The account routes need a console session (appwrite login), not an API key.", "general_unauthorized_scope");
}
