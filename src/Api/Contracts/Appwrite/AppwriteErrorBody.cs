namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Appwrite's error body; the SDKs read the HTTP status, and <c>type</c> names the error.</summary>
public sealed record AppwriteErrorBody(string Message, int Code, string Type, string Version)
{
    public const string ServerVersion = "1.9.6";

    public static AppwriteErrorBody Of(int status, string type, string message) => new(message, status, type, ServerVersion);
}
