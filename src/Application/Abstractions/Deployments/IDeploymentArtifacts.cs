namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>A finished build's output: content-addressed key, bytes on disk, and the directory the executor runs.</summary>
public sealed record BuildArtifact(string Key, long Size, string Directory);

/// <summary>
/// Working directories of builds and their artifacts. A source archive is extracted once, safely (hostile archives are
/// refused), into a build directory; the directory after the build becomes an immutable artifact named by its content,
/// so equal output is stored once and an execution never extracts anything.
/// </summary>
public interface IDeploymentArtifacts
{
    /// <summary>Extracts the source blob into a fresh build directory and returns its path. Bad archives throw <see cref="InvalidArchiveException"/>.</summary>
    Task<string> ExtractSourceAsync(string sourceKey, CancellationToken ct);

    /// <summary>
    /// Turns a build directory into the artifact (moved, not copied); an output larger than the build size limit throws
    /// <see cref="BuildOutputTooLargeException"/>.
    /// </summary>
    Task<BuildArtifact> StoreAsync(string buildDirectory, CancellationToken ct);

    /// <summary>The artifact's directory, or null when it is gone.</summary>
    string? Find(string artifactKey);

    /// <summary>The artifact as a .tar.gz stream (the build output download, and code stores that copy what they run).</summary>
    Task<Stream> OpenArchiveAsync(string artifactKey, CancellationToken ct);

    /// <summary>Removes a build directory that did not become an artifact.</summary>
    void DiscardBuildDirectory(string buildDirectory);

    /// <summary>Removes an artifact no deployment uses any more.</summary>
    Task DeleteAsync(string artifactKey, CancellationToken ct);
}

/// <summary>A deployment archive that is not a well-formed, safe <c>.tar.gz</c>; the message says which rule it broke.</summary>
public sealed class InvalidArchiveException(string message) : Exception(message);

/// <summary>The build produced more than the build size limit allows.</summary>
public sealed class BuildOutputTooLargeException(long limit) : Exception($"The build output exceeds the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}
