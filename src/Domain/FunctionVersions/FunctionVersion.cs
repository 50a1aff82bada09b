using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.FunctionVersions;

/// <summary>An immutable-by-id snapshot of a function's code (files) and its input/output schemas.</summary>
public sealed class FunctionVersion : AuditableEntity, IAggregateRoot
{
    private FunctionVersion(string id, string functionId, string name, DateTimeOffset createdAt) : base(id, createdAt)
    {
        FunctionId = functionId;
        Name = name;
    }

    public string FunctionId { get; private set; }
    public string Name { get; private set; }
    public string? ParentId { get; private set; }
    public string? InputSchemaId { get; private set; }
    public string? OutputSchemaId { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }
    public IReadOnlyList<VersionFile> Files { get; private set; } = [];

    public bool IsDeleted => DeletedAt is not null;

    public static FunctionVersion Create(
        string id, string functionId, string name, string? inputSchemaId, string? outputSchemaId, DateTimeOffset now,
        IEnumerable<VersionFile>? files = null)
    {
        var version = new FunctionVersion(id, functionId, ValidName(name), now)
        {
            InputSchemaId = inputSchemaId,
            OutputSchemaId = outputSchemaId,
        };
        if (files is not null)
        {
            version.Files = ValidFiles(files);
        }

        version.Raise(new FunctionVersionCreated(id, functionId, now));
        return version;
    }

    /// <summary>A new version of the same function with this one's files and schemas, recording this one as parent.</summary>
    public FunctionVersion Fork(string newId, string? name, DateTimeOffset now)
    {
        EnsureLive();
        var fork = Create(newId, FunctionId, name ?? $"{Name}-fork", InputSchemaId, OutputSchemaId, now, Files);
        fork.ParentId = Id;
        return fork;
    }

    public void Update(string? name, SchemaChange inputSchema, SchemaChange outputSchema, DateTimeOffset now)
    {
        EnsureLive();
        if (name is not null)
        {
            Name = ValidName(name);
        }

        if (inputSchema.IsSet)
        {
            InputSchemaId = inputSchema.Value;
        }

        if (outputSchema.IsSet)
        {
            OutputSchemaId = outputSchema.Value;
        }

        Raise(new FunctionVersionChanged(Id, FunctionId, now));
        Touch(now);
    }

    public void ReplaceFiles(IEnumerable<VersionFile> files, DateTimeOffset now)
    {
        EnsureLive();
        Files = ValidFiles(files);
        Raise(new FunctionVersionFilesChanged(Id, FunctionId, now));
        Touch(now);
    }

    public void SoftDelete(DateTimeOffset now)
    {
        EnsureLive();
        DeletedAt = Truncate(now);
        Raise(new FunctionVersionChanged(Id, FunctionId, now));
        Touch(now);
    }

    public void Restore(DateTimeOffset now)
    {
        if (!IsDeleted)
        {
            throw new DomainException(FunctionVersionErrors.NotDeleted);
        }

        DeletedAt = null;
        Raise(new FunctionVersionChanged(Id, FunctionId, now));
        Touch(now);
    }

    public void EnsurePurgeable()
    {
        if (!IsDeleted)
        {
            throw new DomainException(FunctionVersionErrors.NotDeleted);
        }
    }

    public void EnsureLive()
    {
        if (IsDeleted)
        {
            throw new DomainException(FunctionVersionErrors.Deleted);
        }
    }

    private static List<VersionFile> ValidFiles(IEnumerable<VersionFile> files)
    {
        var list = files.ToList();
        if (list.Count > VersionFile.MaxFiles)
        {
            throw new DomainException(FunctionVersionErrors.TooManyFiles);
        }

        if (list.Sum(f => (long)f.Size) > VersionFile.MaxTotalBytes)
        {
            throw new DomainException(FunctionVersionErrors.FilesTooLarge);
        }

        if (VersionFilePaths.FindConflict([.. list.Select(f => f.Path)]) is { } conflict)
        {
            throw new DomainException(FunctionVersionErrors.PathConflict.WithMessage(conflict.Message));
        }

        return list;
    }

    private static string ValidName(string name) =>
        Guard.Text(name, FunctionVersionErrors.NameMaxLength, FunctionVersionErrors.NameInvalid);
}

/// <summary>"Leave as is" vs "set to this value (possibly null)" for a PATCH field.</summary>
public readonly record struct SchemaChange(bool IsSet, string? Value)
{
    public static SchemaChange Keep => default;
    public static SchemaChange To(string? value) => new(true, value);
}

public sealed record FunctionVersionCreated(string VersionId, string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;
public sealed record FunctionVersionFilesChanged(string VersionId, string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The version's name, schema references or deleted state changed.</summary>
public sealed record FunctionVersionChanged(string VersionId, string FunctionId, DateTimeOffset OccurredAt) : IDomainEvent;
