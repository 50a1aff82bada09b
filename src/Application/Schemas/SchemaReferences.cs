using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Schemas.Specifications;
using FunctionsPlatform.Domain.Schemas;

namespace FunctionsPlatform.Application.Schemas;

/// <summary>Checks that a version's <c>inputSchemaId</c>/<c>outputSchemaId</c> name a schema of the same workspace.</summary>
public interface ISchemaReferences
{
    Task EnsureInWorkspaceAsync(string workspaceId, string? schemaId, string field, CancellationToken ct);
}

internal sealed class SchemaReferences(IReadRepository<Schema> schemas) : ISchemaReferences
{
    public async Task EnsureInWorkspaceAsync(string workspaceId, string? schemaId, string field, CancellationToken ct)
    {
        if (schemaId is not null && !await schemas.AnyAsync(new SchemaInWorkspaceSpec(schemaId, workspaceId), ct))
        {
            throw new ValidationException(field, $"Schema '{schemaId}' does not exist in workspace '{workspaceId}'.");
        }
    }
}
