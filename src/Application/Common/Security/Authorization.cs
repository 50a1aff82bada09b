namespace FunctionsPlatform.Application.Common.Security;

/// <summary>The API key scope a request needs; checked by the authorization behaviour.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}

/// <summary>Only admins may send this request.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresAdminAttribute : Attribute;

/// <summary>Lets a request through without an authenticated caller (health, runtimes list).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowAnonymousRequestAttribute : Attribute;

/// <summary>A request that addresses one workspace: the caller must be a member (or admin) and a key bound elsewhere is refused.</summary>
public interface IWorkspaceScoped
{
    string WorkspaceId { get; }
}
