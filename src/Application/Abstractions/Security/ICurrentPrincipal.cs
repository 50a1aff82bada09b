namespace FunctionsPlatform.Application.Abstractions.Security;

/// <summary>Who is calling: the API key's user, its scopes and the workspace the key is bound to (if any).</summary>
public interface ICurrentPrincipal
{
    bool IsAuthenticated { get; }
    string UserId { get; }
    bool IsAdmin { get; }
    string? ApiKeyId { get; }
    /// <summary>Set when the key is restricted to one workspace.</summary>
    string? KeyWorkspaceId { get; }
    IReadOnlySet<string> Scopes { get; }
    /// <summary>Set when the caller is a function's code using the short-lived key it was given (not a user's key).</summary>
    string? KeyFunctionId => null;
    /// <summary>Set when the caller signed in with a console session (<c>appwrite login</c>) rather than a key.</summary>
    string? SessionId => null;
    bool HasScope(string scope);
}

/// <summary>Hashes API key tokens; only hashes are stored.</summary>
public interface ITokenHasher
{
    string NewToken();
    string Hash(string token);
}
