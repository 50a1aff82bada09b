using System.Text.RegularExpressions;

namespace FunctionsPlatform.Application.Executions;

/// <summary>What a caller may put into an execution request (Appwrite's limits), shared by the validators.</summary>
public static partial class ExecutionRequestRules
{
    public const int MaxBodyLength = 10 * 1024 * 1024;
    public const int MaxPathLength = 2048;
    public const int MaxHeaderCount = 100;

    /// <summary>Names and values of all headers together stay below this many characters.</summary>
    public const int MaxHeadersTotalLength = 16_384;

    /// <summary>Headers the platform sets; a caller may not send or override them.</summary>
    public const string ReservedHeaderPrefix = "x-appwrite-";

    public static readonly IReadOnlyList<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

    /// <summary>Letters, digits and hyphens, starting and ending with a letter or digit.</summary>
    public static bool IsValidHeaderName(string name) => HeaderName().IsMatch(name);

    /// <summary>No control characters: they would split or forge headers on the way to the function.</summary>
    public static bool IsValidHeaderValue(string value) => !value.Any(char.IsControl);

    public static bool IsReserved(string name) => name.StartsWith(ReservedHeaderPrefix, StringComparison.OrdinalIgnoreCase);

    public static int TotalLength(IReadOnlyDictionary<string, string> headers) => headers.Sum(h => h.Key.Length + (h.Value?.Length ?? 0));

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex HeaderName();
}
