namespace FunctionsPlatform.Application.Abstractions.Runtime;

/// <summary>One file of a function version: a path relative to the bundle root and its UTF-8 text.</summary>
public sealed record CodeFile(string Path, string Content);

/// <summary>
/// The code to run and the file to load. Either a version's files, or a deployment's build output as a .tar.gz
/// (opened only when the bundle is not already on disk; <see cref="ArchiveKey"/> names that content for reuse).
/// </summary>
public sealed record CodeBundle
{
    private CodeBundle(string entrypoint) => Entrypoint = entrypoint;

    public string Entrypoint { get; }
    public IReadOnlyList<CodeFile>? Files { get; private init; }

    /// <summary>
    /// Names <see cref="Files"/>' exact content (a version id and its concurrency stamp), so a warm call skips hashing
    /// the code again; null: hash every time.
    /// </summary>
    public string? FilesKey { get; private init; }
    public string? ArchiveKey { get; private init; }
    public Func<CancellationToken, Task<Stream>>? OpenArchive { get; private init; }

    /// <summary>
    /// A built deployment's artifact: an immutable, content-addressed directory (named by <see cref="ArchiveKey"/>) that
    /// can be used in place. <see cref="OpenArchive"/> streams the same content as a .tar.gz for a store that copies.
    /// </summary>
    public string? PreparedDirectory { get; private init; }

    public static CodeBundle FromFiles(string entrypoint, IReadOnlyList<CodeFile> files, string? filesKey = null) =>
        new(entrypoint) { Files = files, FilesKey = filesKey };

    /// <param name="archiveKey">Stable identity of the archive's content, e.g. the deployment id.</param>
    public static CodeBundle FromArchive(string entrypoint, string archiveKey, Func<CancellationToken, Task<Stream>> openArchive) =>
        new(entrypoint) { ArchiveKey = archiveKey, OpenArchive = openArchive };

    /// <param name="artifactKey">The artifact's content key.</param>
    public static CodeBundle FromPreparedDirectory(string entrypoint, string artifactKey, string directory, Func<CancellationToken, Task<Stream>> openArchive) =>
        new(entrypoint) { ArchiveKey = artifactKey, OpenArchive = openArchive, PreparedDirectory = directory };
}
