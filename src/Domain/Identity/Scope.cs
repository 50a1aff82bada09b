using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Identity;

/// <summary>The scopes an API key may carry; each guards one family of operations.</summary>
public static class Scope
{
    public const string FunctionsRead = "functions.read";
    public const string FunctionsWrite = "functions.write";
    public const string ExecutionsRead = "executions.read";
    public const string ExecutionsWrite = "executions.write";
    public const string WorkspacesAdmin = "workspaces.admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        FunctionsRead, FunctionsWrite, ExecutionsRead, ExecutionsWrite, WorkspacesAdmin,
    };

    /// <summary>
    /// What a function's own short-lived key may carry, of the scopes the function lists: never an administrative one,
    /// whatever the function asks for (its scopes are Appwrite's project key scopes, most of which this platform has no use for).
    /// </summary>
    public static readonly IReadOnlySet<string> GrantableToFunctions = new HashSet<string>(StringComparer.Ordinal)
    {
        FunctionsRead, FunctionsWrite, ExecutionsRead, ExecutionsWrite,
    };
}

public static class IdentityErrors
{
    public static readonly DomainError NameInvalid = new("identity.name_invalid", "Name must be 1 to 128 characters.", ErrorKind.Validation, Field: "name");
    public static readonly DomainError EmailInvalid = new("identity.email_invalid", "Email must be a valid address of at most 320 characters.", ErrorKind.Validation, Field: "email");
    public static readonly DomainError UnknownScope = new("identity.unknown_scope", "Unknown scope.", ErrorKind.Validation, Field: "scopes");
    public static readonly DomainError ExpiryInPast = new("identity.expiry_in_past", "expiresAt must be in the future.", ErrorKind.Validation, Field: "expiresAt");
    public static readonly DomainError KeyNotUsable = new("identity.key_not_usable", "The key is revoked or expired.", ErrorKind.Validation, "user_invalid_credentials", Field: "password");
    public static readonly DomainError EmailTaken = new("identity.email_taken", "A user with this email already exists.", ErrorKind.Conflict, "user_already_exists", Field: "email");
}
