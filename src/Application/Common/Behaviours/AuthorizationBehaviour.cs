using System.Reflection;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Security;
using FunctionsPlatform.Application.Workspaces;
using MediatR;

namespace FunctionsPlatform.Application.Common.Behaviours;

/// <summary>
/// No caller → 401; missing scope → 403; a key bound to another workspace → 401;
/// a workspace the caller is not a member of → 404, exactly as if it did not exist; a function's key → 403 on anything
/// no scope guards.
/// </summary>
public sealed class AuthorizationBehaviour<TRequest, TResponse>(ICurrentPrincipal principal, IWorkspaceAccess workspaces)
    : IPipelineBehavior<TRequest, TResponse>
{
    // Read once per request type (a static of the closed generic), not looked up per call.
    private static readonly (bool Anonymous, bool Admin, string[] Scopes) Rule = (
        typeof(TRequest).GetCustomAttribute<AllowAnonymousRequestAttribute>() is not null,
        typeof(TRequest).GetCustomAttribute<RequiresAdminAttribute>() is not null,
        [.. typeof(TRequest).GetCustomAttributes<RequiresScopeAttribute>().Select(a => a.Scope)]);

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var rule = Rule;

        if (rule.Anonymous)
        {
            return await next();
        }

        if (!principal.IsAuthenticated)
        {
            throw new UnauthorizedException();
        }

        if (rule.Admin && !principal.IsAdmin)
        {
            throw new ForbiddenException("This operation needs an admin.");
        }

        // A function's own key reaches only operations a scope guards: never keys, users or memberships.
        if (principal.KeyFunctionId is not null && rule.Scopes.Length == 0)
        {
            throw new ForbiddenException("A function's key may only do what its scopes allow.");
        }

        var missing = rule.Scopes.FirstOrDefault(s => !principal.HasScope(s));
        if (missing is not null)
        {
            throw new ForbiddenException($"The API key lacks the '{missing}' scope.");
        }

        // An empty workspace id is the validator's to report (400), not a missing workspace (404).
        if (request is IWorkspaceScoped scoped && !string.IsNullOrWhiteSpace(scoped.WorkspaceId))
        {
            await workspaces.EnsureAccessAsync(scoped.WorkspaceId, cancellationToken);
        }

        return await next();
    }
}
