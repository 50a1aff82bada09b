namespace FunctionsPlatform.Application.Abstractions.Runtime;

/// <summary>Everything one run needs: which function, which code, which request, which variables and limits.</summary>
public sealed record RuntimeInvocation(
    string FunctionId,
    string FunctionName,
    string RuntimeId,
    CodeBundle Code,
    RuntimeRequest Request,
    RuntimeLimits Limits)
{
    /// <summary>The function's variables; they reach the code as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Requests one process may serve at once (the function's setting; 1 = one at a time).</summary>
    public int ProcessConcurrency { get; init; } = 1;

    /// <summary>Reported to the code as <c>APPWRITE_FUNCTION_DEPLOYMENT</c>.</summary>
    public string? DeploymentId { get; init; }

    /// <summary>Reported to the code as <c>APPWRITE_FUNCTION_PROJECT_ID</c> (a workspace is Appwrite's project).</summary>
    public string WorkspaceId { get; init; } = "";
}

/// <summary>The HTTP request handed to the function. <see cref="Path"/> includes the query string.</summary>
public sealed record RuntimeRequest(string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body)
{
    public static RuntimeRequest Create(string method = "POST", string path = "/", string? body = null, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(method, path, headers ?? [], body is null ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(body));
}
