using FunctionsPlatform.Domain.Common;
using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Domain.Functions;

/// <summary>
/// A function of a workspace. Carries the fields of both surfaces: the management model (/api) and Appwrite's (/v1).
/// Its code is either its default <see cref="FunctionVersion"/> (/api) or its active <see cref="Deployment"/> (/v1).
/// </summary>
public sealed class Function : AuditableEntity, IAggregateRoot
{
    private Function(string id, string workspaceId, string name, DateTimeOffset createdAt) : base(id, createdAt)
    {
        WorkspaceId = workspaceId;
        Name = name;
    }

    public string WorkspaceId { get; private set; }
    public string Name { get; private set; }
    public string? Description { get; private set; }
    public FunctionSource Source { get; private set; }
    public bool System { get; private set; }
    public string? CreatedBy { get; private set; }
    public string? RuntimeUserId { get; private set; }
    public string? DefaultVersionId { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }
    public string? RetentionTier { get; private set; }

    public string Runtime { get; private set; } = "";
    public IReadOnlyList<string> Execute { get; private set; } = [];
    public IReadOnlyList<string> Events { get; private set; } = [];
    public string Schedule { get; private set; } = "";
    public DateTimeOffset? ScheduleNext { get; private set; }
    public DateTimeOffset? SchedulePrevious { get; private set; }
    public int Timeout { get; private set; } = FunctionLimits.DefaultTimeoutSeconds;
    public bool Enabled { get; private set; } = true;
    public bool Logging { get; private set; } = true;
    public bool Live { get; private set; } = true;
    public string? Entrypoint { get; private set; }
    public string Commands { get; private set; } = "";
    public IReadOnlyList<string> Scopes { get; private set; } = [];
    public string BuildSpecification { get; private set; } = FunctionLimits.DefaultSpecification;
    public string RuntimeSpecification { get; private set; } = FunctionLimits.DefaultSpecification;
    public int DeploymentRetention { get; private set; }
    /// <summary>open-runtimes protocol version; <c>v5</c> for every function created here.</summary>
    public string ProtocolVersion { get; private set; } = "v5";

    /// <summary>
    /// Requests one warm process of this function serves at once (1 = one at a time, the default). More lets async
    /// handlers share a process, as Appwrite's open runtimes do; isolation stays per function either way.
    /// </summary>
    public int ProcessConcurrency { get; private set; } = 1;

    public string? DeploymentId { get; private set; }
    public DateTimeOffset? DeploymentCreatedAt { get; private set; }
    public string? LatestDeploymentId { get; private set; }
    public DateTimeOffset? LatestDeploymentCreatedAt { get; private set; }
    public string? LatestDeploymentStatus { get; private set; }

    public string InstallationId { get; private set; } = "";
    public string ProviderRepositoryId { get; private set; } = "";
    public string ProviderBranch { get; private set; } = "";
    public string ProviderRootDirectory { get; private set; } = "";
    public bool ProviderSilentMode { get; private set; }
    public IReadOnlyList<string> ProviderBranches { get; private set; } = [];
    public IReadOnlyList<string> ProviderPaths { get; private set; } = [];

    public bool IsDeleted => DeletedAt is not null;

    public static Function Create(
        string id,
        string workspaceId,
        string name,
        string runtime,
        DateTimeOffset now,
        string? description = null,
        FunctionSource source = FunctionSource.Custom,
        string? createdBy = null,
        string? runtimeUserId = null,
        string? retentionTier = null,
        FunctionSettings? settings = null)
    {
        var function = new Function(id, workspaceId, ValidName(name), now)
        {
            Description = Guard.OptionalText(description, FunctionLimits.DescriptionMaxLength, FunctionErrors.DescriptionTooLong),
            Source = source,
            System = source == FunctionSource.System,
            CreatedBy = createdBy,
            RuntimeUserId = runtimeUserId,
            RetentionTier = retentionTier,
            Runtime = runtime,
        };
        function.ApplySettings(settings ?? new FunctionSettings());
        function.Raise(new FunctionCreated(id, workspaceId, now));
        return function;
    }

    /// <summary>PATCH /api/functions/{id}: only the given fields change.</summary>
    public void UpdateDetails(string? name, string? description, string? runtimeUserId, bool clearDescription, DateTimeOffset now)
    {
        EnsureLive();
        if (name is not null)
        {
            Name = ValidName(name);
        }

        if (description is not null || clearDescription)
        {
            Description = Guard.OptionalText(description, FunctionLimits.DescriptionMaxLength, FunctionErrors.DescriptionTooLong);
        }

        if (runtimeUserId is not null)
        {
            RuntimeUserId = runtimeUserId.Length == 0 ? null : runtimeUserId;
        }

        Raise(new FunctionDetailsChanged(Id, now));
        Touch(now);
    }

    /// <summary>PUT /v1/functions/{id}: Appwrite's full-replace of the settings (name required, runtime kept when empty).</summary>
    public void Reconfigure(string name, string? runtime, FunctionSettings settings, DateTimeOffset now)
    {
        EnsureLive();
        var codeChanged = name != Name
            || (!string.IsNullOrEmpty(runtime) && runtime != Runtime)
            || (settings.Entrypoint is not null && settings.Entrypoint != Entrypoint)
            || settings.Commands != Commands
            || settings.ProviderRootDirectory != ProviderRootDirectory;
        var specChanged = settings.RuntimeSpecification != RuntimeSpecification;
        Name = ValidName(name);
        if (!string.IsNullOrEmpty(runtime))
        {
            Runtime = runtime;
        }

        var entrypoint = string.IsNullOrEmpty(settings.Entrypoint) ? Entrypoint : settings.Entrypoint;
        ApplySettings(settings with { Entrypoint = entrypoint });
        if (codeChanged)
        {
            Live = false;
        }

        if (codeChanged || specChanged)
        {
            Raise(new FunctionCodeChanged(Id, now));
        }

        // Settings an execution reads (execute, enabled, logging, timeout, scopes) changed too: cached copies must go.
        Raise(new FunctionDetailsChanged(Id, now));
        Touch(now);
    }

    /// <summary>Changes the per-process concurrency; the running processes are replaced (they were started for the old value).</summary>
    public void SetProcessConcurrency(int concurrency, DateTimeOffset now)
    {
        EnsureLive();
        if (concurrency is < 1 or > FunctionLimits.MaxProcessConcurrency)
        {
            throw new DomainException(FunctionErrors.ProcessConcurrencyOutOfRange);
        }

        if (concurrency != ProcessConcurrency)
        {
            ProcessConcurrency = concurrency;
            Raise(new FunctionCodeChanged(Id, now));
            Touch(now);
        }
    }

    public void SetDefaultVersion(FunctionVersion version, DateTimeOffset now)
    {
        EnsureLive();
        if (version.FunctionId != Id)
        {
            throw new DomainException(FunctionErrors.VersionOfAnotherFunction);
        }

        if (version.IsDeleted)
        {
            throw new DomainException(FunctionErrors.VersionDeleted);
        }

        if (DefaultVersionId != version.Id)
        {
            DefaultVersionId = version.Id;
            Raise(new FunctionCodeChanged(Id, now));
            Raise(new FunctionDefaultVersionSet(Id, version.Id, now));
        }

        Touch(now);
    }

    public void ActivateDeployment(Deployment deployment, DateTimeOffset now)
    {
        EnsureLive();
        if (deployment.FunctionId != Id)
        {
            throw new DomainException(FunctionErrors.DeploymentOfAnotherFunction);
        }

        if (deployment.Status != DeploymentStatus.Ready)
        {
            throw new DomainException(FunctionErrors.BuildNotReady);
        }

        var changed = DeploymentId != deployment.Id;
        DeploymentId = deployment.Id;
        DeploymentCreatedAt = deployment.CreatedAt;
        Live = true;
        Raise(new FunctionCodeChanged(Id, now));
        if (changed)
        {
            Raise(new FunctionDeploymentActivated(Id, deployment.Id, now));
        }

        Touch(now);
    }

    /// <summary>Keeps the latestDeployment* fields in step with the newest deployment.</summary>
    public void TrackLatestDeployment(Deployment? deployment, DateTimeOffset now)
    {
        LatestDeploymentId = deployment?.Id;
        LatestDeploymentCreatedAt = deployment?.CreatedAt;
        LatestDeploymentStatus = deployment?.Status.ToWire();
        Touch(now);
    }

    public void DeploymentRemoved(string deploymentId, DateTimeOffset now)
    {
        if (DeploymentId == deploymentId)
        {
            DeploymentId = null;
            DeploymentCreatedAt = null;
            Raise(new FunctionCodeChanged(Id, now));
            Touch(now);
        }
    }

    /// <summary>A variable changed: the running code no longer matches (Appwrite's <c>live=false</c>) and warm runtimes must go.</summary>
    public void VariablesChanged(DateTimeOffset now)
    {
        Live = false;
        Raise(new FunctionCodeChanged(Id, now));
        Touch(now);
    }

    public void ScheduleRan(DateTimeOffset ranAt, DateTimeOffset? next)
    {
        SchedulePrevious = Truncate(ranAt);
        ScheduleNext = next is null ? null : Truncate(next.Value);
    }

    public void SoftDelete(DateTimeOffset now)
    {
        EnsureLive();
        DeletedAt = Truncate(now);
        Raise(new FunctionSoftDeleted(Id, now));
        Touch(now);
    }

    public void Restore(DateTimeOffset now)
    {
        if (!IsDeleted)
        {
            throw new DomainException(FunctionErrors.NotDeleted);
        }

        DeletedAt = null;
        Raise(new FunctionRestored(Id, now));
        Touch(now);
    }

    /// <summary>Purge is only allowed on what was soft-deleted first.</summary>
    public void EnsurePurgeable(DateTimeOffset now)
    {
        if (!IsDeleted)
        {
            throw new DomainException(FunctionErrors.NotDeleted);
        }

        Raise(new FunctionPurged(Id, now));
    }

    /// <summary>Any change other than restore/purge is refused on a soft-deleted function (409).</summary>
    public void EnsureLive()
    {
        if (IsDeleted)
        {
            throw new DomainException(FunctionErrors.Deleted);
        }
    }

    private void ApplySettings(FunctionSettings settings)
    {
        if (settings.Timeout is < 1 or > FunctionLimits.MaxTimeoutSeconds)
        {
            throw new DomainException(FunctionErrors.TimeoutOutOfRange);
        }

        Execute = ValidList(settings.Execute, "execute");
        Events = ValidList(settings.Events, "events");
        Scopes = ValidList(settings.Scopes, "scopes", 200);
        ProviderBranches = ValidList(settings.ProviderBranches, "providerBranches");
        ProviderPaths = ValidList(settings.ProviderPaths, "providerPaths");
        if (Schedule != settings.Schedule || (settings.Enabled && !Enabled))
        {
            // The scheduler computes the next tick afresh: a new expression, or one re-enabled after missed ticks, must
            // not fire for a tick computed before.
            ScheduleNext = null;
        }

        Schedule = settings.Schedule;
        Timeout = settings.Timeout;
        Enabled = settings.Enabled;
        Logging = settings.Logging;
        Entrypoint = string.IsNullOrEmpty(settings.Entrypoint) ? null : settings.Entrypoint;
        Commands = settings.Commands;
        BuildSpecification = settings.BuildSpecification;
        RuntimeSpecification = settings.RuntimeSpecification;
        DeploymentRetention = settings.DeploymentRetention;
        InstallationId = settings.InstallationId;
        ProviderRepositoryId = settings.ProviderRepositoryId;
        ProviderBranch = settings.ProviderBranch;
        ProviderRootDirectory = settings.ProviderRootDirectory;
        ProviderSilentMode = settings.ProviderSilentMode;
    }

    private static List<string> ValidList(IReadOnlyList<string> items, string field, int max = FunctionLimits.MaxListItems)
    {
        if (items.Count > max || items.Any(i => i is null || i.Length > FunctionLimits.MaxListItemLength))
        {
            throw new DomainException(FunctionErrors.TooManyItems.WithField(field));
        }

        return [.. items];
    }

    private static string ValidName(string name) =>
        Guard.Text(name, FunctionLimits.NameMaxLength, FunctionErrors.NameInvalid);
}
