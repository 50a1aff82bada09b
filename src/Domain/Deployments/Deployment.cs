using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Deployments;

public enum DeploymentStatus
{
    Waiting,
    Processing,
    Building,
    Ready,
    Canceled,
    Failed,
}

public static class DeploymentStatusNames
{
    public static string ToWire(this DeploymentStatus status) => status.ToString().ToLowerInvariant();

    public static bool IsFinished(this DeploymentStatus status) =>
        status is DeploymentStatus.Ready or DeploymentStatus.Failed or DeploymentStatus.Canceled;
}

/// <summary>
/// An uploaded <c>.tar.gz</c> of source (Appwrite's deployment), its build and the build's output artifact.
/// Lifecycle: uploading (waiting, no source yet) → queued (waiting, source stored) → processing (claimed by a build
/// worker with a lease) → building → ready | failed | canceled. A build is claimed like an asynchronous execution, so a
/// restart loses none and two workers never build one deployment twice.
/// </summary>
public sealed class Deployment : AuditableEntity, IAggregateRoot
{
    public const int MaxBuildLogLength = 1_000_000;

    /// <summary>Appwrite's upload chunk size (5 MiB): chunk numbers and <see cref="ChunksTotal"/> are counted in it.</summary>
    public const long ChunkSize = 5 * 1024 * 1024;

    /// <summary>A build claimed this many times without finishing kept killing its worker: it is failed, not retried.</summary>
    public const int MaxBuildAttempts = 3;

    /// <summary>Longest stored <c>provider*</c> value (a commit message is cut here).</summary>
    public const int ProviderFieldMaxLength = 1024;

    public const string CanceledLogLine = "Build has been canceled.\n";

    private Deployment(string id, string functionId, DateTimeOffset createdAt) : base(id, createdAt) => FunctionId = functionId;

    public string FunctionId { get; private set; }
    public string Type { get; private set; } = "manual";
    public string Entrypoint { get; private set; } = "";
    public string Commands { get; private set; } = "";
    /// <summary>The "activate when ready" claim; cleared when a later deployment with the same claim is queued.</summary>
    public bool Activate { get; private set; }
    public DeploymentStatus Status { get; private set; } = DeploymentStatus.Waiting;
    /// <summary>Blob key of the uploaded archive (content-addressed in storage); null while the upload is incomplete.</summary>
    public string? SourceKey { get; private set; }
    /// <summary>Bytes of the uploaded archive: the announced total while chunks arrive, then the stored size.</summary>
    public long SourceSize { get; private set; }
    /// <summary>Content key of the build output (the artifact the executor runs).</summary>
    public string? BuildKey { get; private set; }
    public long BuildSize { get; private set; }
    public string BuildLogs { get; private set; } = "";
    public DateTimeOffset? BuildStartedAt { get; private set; }
    public int BuildDuration { get; private set; }
    /// <summary>Chunked upload progress (Appwrite's Content-Range protocol).</summary>
    public int ChunksTotal { get; private set; } = 1;
    public int ChunksUploaded { get; private set; }
    /// <summary>The build worker holding the build, and until when; another may take it once the lease expired.</summary>
    public string? BuildLeaseOwner { get; private set; }
    public DateTimeOffset? BuildLeaseExpiresAt { get; private set; }
    public int BuildAttempts { get; private set; }
    public string ProviderRepositoryName { get; private set; } = "";
    public string ProviderRepositoryOwner { get; private set; } = "";
    public string ProviderRepositoryUrl { get; private set; } = "";
    public string ProviderCommitHash { get; private set; } = "";
    public string ProviderCommitAuthor { get; private set; } = "";
    public string ProviderCommitAuthorUrl { get; private set; } = "";
    public string ProviderCommitMessage { get; private set; } = "";
    public string ProviderCommitUrl { get; private set; } = "";
    public string ProviderBranch { get; private set; } = "";
    public string ProviderBranchUrl { get; private set; } = "";

    public long TotalSize => SourceSize + BuildSize;
    public bool IsUploadComplete => ChunksUploaded >= ChunksTotal;
    /// <summary>Waiting for a build worker: the whole source is stored and nobody finished it.</summary>
    public bool IsQueued => SourceKey is not null && Status == DeploymentStatus.Waiting;

    public static Deployment Create(string id, string functionId, string entrypoint, string commands, bool activate, string type, int chunksTotal, DateTimeOffset now)
    {
        if (chunksTotal < 1)
        {
            throw new DomainException(DeploymentErrors.InvalidChunks);
        }

        return new Deployment(id, functionId, now)
        {
            Entrypoint = entrypoint,
            Commands = commands,
            Activate = activate,
            Type = type,
            ChunksTotal = chunksTotal,
        };
    }

    /// <summary>The first part of an upload of <paramref name="totalBytes"/> arrived: the chunk count follows from the total.</summary>
    public static Deployment StartUpload(string id, string functionId, string entrypoint, string commands, bool activate, string type, long totalBytes, DateTimeOffset now)
    {
        if (totalBytes < 1)
        {
            throw new DomainException(DeploymentErrors.InvalidChunks);
        }

        var deployment = Create(id, functionId, entrypoint, commands, activate, type, (int)((totalBytes + ChunkSize - 1) / ChunkSize), now);
        deployment.SourceSize = totalBytes;
        return deployment;
    }

    public void ChunkUploaded(DateTimeOffset now)
    {
        ChunksUploaded = Math.Min(ChunksTotal, ChunksUploaded + 1);
        Touch(now);
    }

    /// <summary>Parts arrive in parallel and may repeat: progress is the count of distinct parts stored, never more than the total.</summary>
    public void PartsStored(int distinctParts, DateTimeOffset now)
    {
        var uploaded = Math.Clamp(distinctParts, 0, ChunksTotal);
        if (uploaded > ChunksUploaded && SourceKey is null)
        {
            ChunksUploaded = uploaded;
            Touch(now);
        }
    }

    /// <summary>The whole archive is stored: the deployment is queued for a build. Idempotent for the same content.</summary>
    public void SourceStored(string sourceKey, long size, DateTimeOffset now)
    {
        if (SourceKey is not null && SourceKey != sourceKey)
        {
            throw new DomainException(DeploymentErrors.SourceAlreadyStored);
        }

        if (SourceKey is null)
        {
            Raise(new DeploymentQueued(Id, FunctionId, now));
        }

        SourceKey = sourceKey;
        SourceSize = size;
        ChunksUploaded = ChunksTotal;
        Touch(now);
    }

    /// <summary>A later deployment of the same function claimed activation: the last queued wins.</summary>
    public void WithdrawActivation(DateTimeOffset now)
    {
        if (Activate)
        {
            Activate = false;
            Touch(now);
        }
    }

    /// <summary>
    /// Takes the build for <paramref name="owner"/> until <c>now + lease</c>: a queued deployment, or one whose worker's lease
    /// expired (that worker died). False when finished, still uploading or held by a live lease.
    /// </summary>
    public bool ClaimBuild(string owner, DateTimeOffset now, TimeSpan lease)
    {
        var abandoned = Status is DeploymentStatus.Processing or DeploymentStatus.Building && BuildLeaseExpiresAt < now;
        if (SourceKey is null || !(Status == DeploymentStatus.Waiting || abandoned))
        {
            return false;
        }

        BuildLeaseOwner = owner;
        BuildLeaseExpiresAt = Truncate(now + lease);
        BuildAttempts++;
        if (Status == DeploymentStatus.Waiting)
        {
            Status = DeploymentStatus.Processing;
        }

        Touch(now);
        return true;
    }

    public bool IsBuildHeldBy(string owner) => BuildLeaseOwner == owner && Status is DeploymentStatus.Processing or DeploymentStatus.Building;

    public void StartBuild(DateTimeOffset now)
    {
        if (Status is not (DeploymentStatus.Waiting or DeploymentStatus.Processing or DeploymentStatus.Building))
        {
            throw new DomainException(DeploymentErrors.BuildAlreadyCompleted);
        }

        Status = DeploymentStatus.Building;
        BuildStartedAt = Truncate(now);
        Touch(now);
    }

    public void BuildSucceeded(string buildKey, long buildSize, string logs, DateTimeOffset now)
    {
        EnsureBuilding();
        Status = DeploymentStatus.Ready;
        BuildKey = buildKey;
        BuildSize = buildSize;
        FinishBuild(logs, now);
    }

    public void BuildFailed(string logs, DateTimeOffset now)
    {
        EnsureBuilding();
        Status = DeploymentStatus.Failed;
        FinishBuild(logs, now);
    }

    public void Cancel(DateTimeOffset now)
    {
        if (Status is DeploymentStatus.Ready or DeploymentStatus.Failed)
        {
            throw new DomainException(DeploymentErrors.BuildAlreadyCompleted);
        }

        if (Status == DeploymentStatus.Canceled)
        {
            return; // canceling twice changes nothing
        }

        Status = DeploymentStatus.Canceled;
        FinishBuild(BuildLogs + CanceledLogLine, now);
        Raise(new DeploymentBuildCanceled(Id, FunctionId, now));
    }

    /// <summary>
    /// Where the source came from (a git commit, a template, or the deployment it duplicates): Appwrite's
    /// <c>provider*</c> fields. Each value keeps its first <see cref="ProviderFieldMaxLength"/> characters.
    /// </summary>
    public void RecordProvider(DeploymentProvider provider, DateTimeOffset now)
    {
        ProviderRepositoryName = Clip(provider.RepositoryName);
        ProviderRepositoryOwner = Clip(provider.RepositoryOwner);
        ProviderRepositoryUrl = Clip(provider.RepositoryUrl);
        ProviderCommitHash = Clip(provider.CommitHash);
        ProviderCommitAuthor = Clip(provider.CommitAuthor);
        ProviderCommitAuthorUrl = Clip(provider.CommitAuthorUrl);
        ProviderCommitMessage = Clip(provider.CommitMessage);
        ProviderCommitUrl = Clip(provider.CommitUrl);
        ProviderBranch = Clip(provider.Branch);
        ProviderBranchUrl = Clip(provider.BranchUrl);
        Touch(now);
    }

    public DeploymentProvider Provider => new(
        ProviderRepositoryName, ProviderRepositoryOwner, ProviderRepositoryUrl, ProviderCommitHash, ProviderCommitAuthor,
        ProviderCommitAuthorUrl, ProviderCommitMessage, ProviderCommitUrl, ProviderBranch, ProviderBranchUrl);

    /// <summary>The deployment is being deleted: its stored source and artifact go once no other deployment uses them.</summary>
    public void Remove(DateTimeOffset now) => Raise(new DeploymentRemoved(Id, FunctionId, SourceKey, BuildKey, now));

    /// <summary>The last <see cref="MaxBuildLogLength"/> characters: the end of a build log says why it failed.</summary>
    public static string TailOfLogs(string logs) => logs.Length > MaxBuildLogLength ? logs[^MaxBuildLogLength..] : logs;

    private static string Clip(string? value) =>
        value is null ? "" : value.Length > ProviderFieldMaxLength ? value[..ProviderFieldMaxLength] : value;

    private void EnsureBuilding()
    {
        if (Status == DeploymentStatus.Canceled)
        {
            throw new DomainException(DeploymentErrors.BuildCanceled);
        }

        if (Status is DeploymentStatus.Ready or DeploymentStatus.Failed)
        {
            throw new DomainException(DeploymentErrors.BuildAlreadyCompleted);
        }
    }

    private void FinishBuild(string logs, DateTimeOffset now)
    {
        BuildLogs = TailOfLogs(logs);
        BuildDuration = BuildStartedAt is { } started ? (int)Math.Round((now - started).TotalSeconds) : 0;
        BuildLeaseOwner = null;
        BuildLeaseExpiresAt = null;
        Touch(now);
    }
}

/// <summary>Appwrite's <c>provider*</c> fields of a deployment: the repository, commit and branch its source came from.</summary>
public sealed record DeploymentProvider(
    string RepositoryName = "",
    string RepositoryOwner = "",
    string RepositoryUrl = "",
    string CommitHash = "",
    string CommitAuthor = "",
    string CommitAuthorUrl = "",
    string CommitMessage = "",
    string CommitUrl = "",
    string Branch = "",
    string BranchUrl = "");

/// <summary>The whole source is stored: the deployment waits for a build worker (raised once, dispatched after the commit).</summary>
public sealed record DeploymentQueued(string DeploymentId, string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A build was canceled: a worker running it on this instance stops its process tree at once.</summary>
public sealed record DeploymentBuildCanceled(string DeploymentId, string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A deployment was deleted; its source blob and build artifact may now be unused.</summary>
public sealed record DeploymentRemoved(string DeploymentId, string FunctionId, string? SourceKey, string? BuildKey, DateTimeOffset OccurredAt) : IDomainEvent;

public static class DeploymentErrors
{
    public static readonly DomainError BuildAlreadyCompleted = new("deployment.build_already_completed", "Build already completed.", ErrorKind.Validation, "build_already_completed");
    public static readonly DomainError BuildCanceled = new("deployment.build_canceled", "Build has been canceled.", ErrorKind.Validation, "build_canceled");
    public static readonly DomainError InvalidChunks = new("deployment.invalid_chunks", "Invalid content range.", ErrorKind.Validation, "storage_invalid_content_range");
    public static readonly DomainError InvalidContentRange = new("deployment.invalid_content_range", "Invalid content range.", ErrorKind.Validation, "storage_invalid_content_range");
    public static readonly DomainError InvalidFileSize = new("deployment.invalid_file_size", "File size not allowed.", ErrorKind.Validation, "deployment_invalid_file_size");
    public static readonly DomainError SourceAlreadyStored = new("deployment.source_already_stored", "The deployment's source is already stored with other content.", ErrorKind.Conflict, "storage_invalid_content_range");
    public static readonly DomainError NotFound = new("deployment.not_found", "Deployment with the requested ID could not be found.", ErrorKind.NotFound, "deployment_not_found");
}
