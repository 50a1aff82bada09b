namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>
/// The model version a client asks for with <c>X-Appwrite-Response-Format</c> (node-appwrite 27 sends 1.9.5, the CLI 12
/// sends 1.8.0); without the header, the newest shapes.
/// </summary>
public sealed record AppwriteResponseFormat(Version Version)
{
    public const string Header = "X-Appwrite-Response-Format";
    public static readonly Version Newest = new(1, 9, 6);

    public static AppwriteResponseFormat Of(HttpRequest request) =>
        new(Version.TryParse(request.Headers[Header].ToString(), out var version) ? version : Newest);

    /// <summary>Before 1.9.0 a function had one <c>specification</c> instead of build and runtime ones.</summary>
    public bool SingleSpecification => Version < new Version(1, 9, 0);

    /// <summary>Up to 1.9.5 an execution named its function <c>functionId</c>; newer shapes say <c>resourceId</c> and <c>resourceType</c>.</summary>
    public bool ExecutionFunctionIdField => Version < Newest;

    /// <summary>Before 1.7.0 a function named its active deployment <c>deployment</c> and had no latestDeployment* fields.</summary>
    public bool LegacyDeploymentField => Version < new Version(1, 7, 0);
}
