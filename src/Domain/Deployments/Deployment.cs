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
}

/// <summary>An uploaded <c>.tar.gz</c> of source (Appwrite's deployment), its build and the build's output artifact.</summary>
public sealed class Deployment : AuditableEntity, IAggregateRoot
{
    public const int MaxBuildLogLength = 1_000_000;

    private Deployment(string id, string functionId, DateTimeOffset createdAt) : base(id, createdAt) => FunctionId = functionId;

    public string FunctionId { get; private set; }
    public string Type { get; private set; } = "manual";
    public string Entrypoint { get; private set; } = "";
    public string Commands { get; private set; } = "";
    public bool Activate { get; private set; }
    public DeploymentStatus Status { get; private set; } = DeploymentStatus.Waiting;
    /// <summary>Blob key of the uploaded archive (content-addressed in storage).</summary>
    public string? SourceKey { get; private set; }
    public long SourceSize { get; private set; }
    /// <summary>Blob key of the build output archive.</summary>
    public string? BuildKey { get; private set; }
    public long BuildSize { get; private set; }
    public string BuildLogs { get; private set; } = "";
    public DateTimeOffset? BuildStartedAt { get; private set; }
    public int BuildDuration { get; private set; }
    /// <summary>Chunked upload progress (Appwrite's Content-Range protocol).</summary>
    public int ChunksTotal { get; private set; } = 1;
    public int ChunksUploaded { get; private set; }
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

    public void ChunkUploaded(DateTimeOffset now)
    {
        ChunksUploaded = Math.Min(ChunksTotal, ChunksUploaded + 1);
        Touch(now);
    }

    public void SourceStored(string sourceKey, long size, DateTimeOffset now)
    {
        SourceKey = sourceKey;
        SourceSize = size;
        ChunksUploaded = ChunksTotal;
        Touch(now);
    }

    public void StartBuild(DateTimeOffset now)
    {
        if (Status is not (DeploymentStatus.Waiting or DeploymentStatus.Processing))
        {
            throw new DomainException(DeploymentErrors.BuildAlreadyCompleted);
        }

        Status = DeploymentStatus.Building;
        BuildStartedAt = Truncate(now);
        Touch(now);
    }

    public void BuildSucceeded(string buildKey, long buildSize, string logs, DateTimeOffset now)
    {
        Status = DeploymentStatus.Ready;
        BuildKey = buildKey;
        BuildSize = buildSize;
        FinishBuild(logs, now);
    }

    public void BuildFailed(string logs, DateTimeOffset now)
    {
        Status = DeploymentStatus.Failed;
        FinishBuild(logs, now);
    }

    public void Cancel(DateTimeOffset now)
    {
        if (Status is DeploymentStatus.Ready or DeploymentStatus.Failed)
        {
            throw new DomainException(DeploymentErrors.BuildAlreadyCompleted);
        }

        Status = DeploymentStatus.Canceled;
        FinishBuild(BuildLogs + "Build has been canceled.\n", now);
    }

    private void FinishBuild(string logs, DateTimeOffset now)
    {
        BuildLogs = logs.Length > MaxBuildLogLength ? logs[^MaxBuildLogLength..] : logs;
        BuildDuration = BuildStartedAt is { } started ? (int)Math.Round((now - started).TotalSeconds) : 0;
        Touch(now);
    }
}

public static class DeploymentErrors
{
    public static readonly DomainError BuildAlreadyCompleted = new("deployment.build_already_completed", "Build already completed.", ErrorKind.Validation, "build_already_completed");
    public static readonly DomainError InvalidChunks = new("deployment.invalid_chunks", "Invalid content range.", ErrorKind.Validation, "storage_invalid_content_range");
}
