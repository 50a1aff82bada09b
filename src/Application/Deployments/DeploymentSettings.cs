namespace FunctionsPlatform.Application.Deployments;

/// <summary><c>Deployments:*</c>: what an upload may be.</summary>
public sealed class DeploymentSettings
{
    public const string SectionName = "Deployments";

    /// <summary>Largest archive accepted, in bytes (Appwrite's <c>_APP_COMPUTE_SIZE_LIMIT</c>, 30,000,000); 0 = unlimited.</summary>
    public long MaxSizeBytes { get; set; } = 30_000_000;

    /// <summary>Largest total of extracted file sizes of one archive (a gzip bomb stops here); Appwrite's build size limit.</summary>
    public long MaxExtractedBytes { get; set; } = 2_000_000_000;

    /// <summary>Most entries (files, directories, links) one archive may hold.</summary>
    public int MaxArchiveEntries { get; set; } = 100_000;
}

/// <summary><c>Builds:*</c>: the build workers.</summary>
public sealed class BuildSettings
{
    public const string SectionName = "Builds";

    /// <summary>
    /// Builds run at once on this instance. 2: a long <c>npm install</c> does not hold up a quick build without commands,
    /// while two builds still leave the interpreters of executions some CPU on a 2-core machine. 0 turns the workers off.
    /// </summary>
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>Longest a build's commands may run (Appwrite's code fallback for <c>_APP_COMPUTE_BUILD_TIMEOUT</c>: 900 s).</summary>
    public int TimeoutSeconds { get; set; } = 900;

    /// <summary>
    /// Largest build output in bytes (Appwrite's <c>_APP_FUNCTIONS_BUILD_SIZE_LIMIT</c>: 2 GB). A build whose work directory
    /// grows past it is killed while it runs, and each file it writes is capped at it.
    /// </summary>
    public long MaxOutputBytes { get; set; } = 2_000_000_000;

    /// <summary>Least memory (cgroup) a build gets, whatever its function's build specification says (Appwrite's build minimum: 1024 MB).</summary>
    public int MemoryMb { get; set; } = 1024;

    /// <summary>Most processes and threads of one build at once (cgroup <c>pids.max</c>): a fork bomb stops here.</summary>
    public int PidsMax { get; set; } = 256;

    /// <summary>
    /// CPU weight of a build against executions (cgroup shares, executions have 1024): 128 lets executions of other
    /// functions take the CPU first while builds run, and builds use what is left.
    /// </summary>
    public int CpuShares { get; set; } = 128;

    /// <summary>Size of the build's private <c>/tmp</c> (also its HOME: package caches), a tmpfs counted against its memory.</summary>
    public int TmpSizeMb { get; set; } = 256;

    /// <summary>A worker's lease on a build; renewed every third of it while the build runs.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often the workers look for queued builds that no signal on this instance announced (another instance queued them, or a lease expired).</summary>
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>How often the build log so far is written to the deployment while the build runs.</summary>
    public int LogFlushIntervalMs { get; set; } = 500;

    /// <summary>How often old deployments are removed per the functions' <c>deploymentRetention</c> (days).</summary>
    public int RetentionSweepMinutes { get; set; } = 60;
}
