namespace FunctionsPlatform.Application.Abstractions.Deployments;

/// <summary>A revision to deploy: the tip of a branch, or one commit by its full hash.</summary>
public sealed record GitRevision(GitReferenceType Type, string Reference);

public enum GitReferenceType
{
    Branch,
    Commit,
}

/// <summary>
/// A checked-out revision packed like an upload (a <c>.tar.gz</c> of the root directory's contents, without
/// <c>.git</c>), with the commit it came from. Disposing deletes the temporary archive.
/// </summary>
public sealed record GitCheckout(Stream Archive, string CommitHash, string CommitAuthor, string CommitMessage, string Branch) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Archive.DisposeAsync();
}

/// <summary>Git repositories the server may clone (an operator's allow-list of URL prefixes and local paths).</summary>
public interface IGitSources
{
    /// <summary>False when the allow-list is empty: git deployments are off.</summary>
    bool Enabled { get; }

    /// <summary>The repository is a URL (https, http, ssh, git) or an absolute path under one of the allowed entries.</summary>
    bool IsAllowed(string repository);

    /// <summary>
    /// Clones the revision shallowly with the git CLI (bounded in time) and packs <paramref name="rootDirectory"/>.
    /// A revision or directory that cannot be fetched is a validation error naming it.
    /// </summary>
    Task<GitCheckout> CheckoutAsync(string repository, GitRevision revision, string rootDirectory, CancellationToken ct);
}
