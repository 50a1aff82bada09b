namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>The form fields of an upload request besides its archive.</summary>
public sealed record DeploymentUploadFields(bool Activate, string? Entrypoint = null, string? Commands = null);

/// <summary>
/// The body of one upload request as it streams in: the archive (or one chunk of it) and the form fields, which may come
/// before or after it (node-appwrite sends <c>activate</c> after <c>code</c>). Read once, front to back: first
/// <see cref="Code"/>, then <see cref="ReadFieldsAsync"/>, so the archive goes straight to where it is kept and is never
/// buffered to find the fields behind it.
/// </summary>
public interface IDeploymentUploadBody
{
    /// <summary>The archive's name as the client gave it; null when it gave none.</summary>
    string? FileName { get; }

    /// <summary>The archive's bytes as they arrive; forward-only.</summary>
    Stream Code { get; }

    /// <summary>Reads the rest of the body (what is left of <see cref="Code"/> is skipped) and returns every field.</summary>
    Task<DeploymentUploadFields> ReadFieldsAsync(CancellationToken ct);
}

/// <summary>An upload whose fields are known before its archive is read: callers inside the platform and tests.</summary>
public sealed class DeploymentUploadBody(Stream code, string? fileName, DeploymentUploadFields fields) : IDeploymentUploadBody
{
    public string? FileName => fileName;

    public Stream Code => code;

    public Task<DeploymentUploadFields> ReadFieldsAsync(CancellationToken ct) => Task.FromResult(fields);
}
