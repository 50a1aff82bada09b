namespace FunctionsPlatform.Domain.Common;

/// <summary>Id prefixes: an id is prefix + '_' + lower-case ULID, so its kind shows at a glance.</summary>
public static class IdPrefixes
{
    public const string Function = "fun";
    public const string FunctionVersion = "funver";
    public const string Schema = "sch";
    public const string Execution = "exe";
    public const string Deployment = "dep";
    public const string Variable = "var";
    public const string Workspace = "ws";
    public const string User = "usr";
    public const string ApiKey = "key";
    public const string Session = "ses";
    public const string ProxyRule = "rule";

    /// <summary>Appwrite's custom-id rule, also used for chosen workspace ids.</summary>
    public const string CustomIdPattern = "^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$";
    public const int MaxIdLength = 64;
}
