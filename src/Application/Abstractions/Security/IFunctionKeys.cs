namespace FunctionsPlatform.Application.Abstractions.Security;

/// <summary>
/// Short-lived API keys given to a function's code so it can call the API back (Appwrite's <c>x-appwrite-key</c> on an
/// execution, <c>APPWRITE_FUNCTION_API_KEY</c> in a build): bound to the function's workspace, carrying only the
/// function's scopes the platform grants to functions, valid for a bounded time, never stored.
/// </summary>
public interface IFunctionKeys
{
    /// <summary>A key for <paramref name="functionId"/>'s code, valid for at least <paramref name="validFor"/> from now.</summary>
    string Issue(string workspaceId, string functionId, IEnumerable<string> scopes, TimeSpan validFor);

    /// <summary>The key a presented <c>ephemeral_</c> token stands for, or null (not one, tampered with, or expired).</summary>
    AuthenticatedKey? Read(string token);
}
