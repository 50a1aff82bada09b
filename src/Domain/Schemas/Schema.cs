using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.Schemas;

/// <summary>A JSON Schema (draft 2020-12) document of a workspace, used as a version's input or output schema.</summary>
public sealed class Schema : AuditableEntity, IAggregateRoot
{
    public const int NameMaxLength = 128;
    public const int DocumentMaxLength = 256 * 1024;

    private Schema(string id, string workspaceId, string name, string document, DateTimeOffset createdAt) : base(id, createdAt)
    {
        WorkspaceId = workspaceId;
        Name = name;
        Document = document;
    }

    public string WorkspaceId { get; private set; }
    public string Name { get; private set; }
    /// <summary>The schema as JSON text (validated as a JSON Schema before it gets here).</summary>
    public string Document { get; private set; }

    public static Schema Create(string id, string workspaceId, string name, string document, DateTimeOffset now) =>
        new(id, workspaceId, ValidName(name), ValidDocument(document), now);

    public void Update(string? name, string? document, DateTimeOffset now)
    {
        Name = name is null ? Name : ValidName(name);
        Document = document is null ? Document : ValidDocument(document);
        Touch(now);
        Raise(new SchemaChanged(Id, now));
    }

    private static string ValidName(string name) => Guard.Text(name, NameMaxLength, SchemaErrors.NameInvalid);
    private static string ValidDocument(string document) => Guard.Text(document, DocumentMaxLength, SchemaErrors.DocumentTooLarge);
}

/// <summary>A schema's name or document changed: copies of its document kept for validation must be dropped.</summary>
public sealed record SchemaChanged(string SchemaId, DateTimeOffset OccurredAt) : IDomainEvent;

public static class SchemaErrors
{
    public static readonly DomainError NameInvalid = new("schema.name_invalid", $"Schema name must be 1 to {Schema.NameMaxLength} characters.", ErrorKind.Validation, Field: "name");
    public static readonly DomainError DocumentTooLarge = new("schema.document_too_large", $"A schema document holds at most {Schema.DocumentMaxLength} characters.", ErrorKind.Validation, Field: "schema");
    public static readonly DomainError InUse = new("schema.in_use", "The schema is used by a function version.", ErrorKind.Conflict, "general_bad_request");
}
