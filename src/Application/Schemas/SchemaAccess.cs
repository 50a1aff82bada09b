using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Schemas.Specifications;
using FunctionsPlatform.Application.Workspaces;
using FunctionsPlatform.Domain.Schemas;

namespace FunctionsPlatform.Application.Schemas;

/// <summary>Loads a schema by id for the caller: 404 when it is in a workspace the caller cannot see.</summary>
public interface ISchemaAccess
{
    Task<Schema> GetVisibleAsync(string schemaId, CancellationToken ct, bool tracking = false);
}

internal sealed class SchemaAccess(IRepository<Schema> schemas, IWorkspaceAccess workspaces) : ISchemaAccess
{
    public async Task<Schema> GetVisibleAsync(string schemaId, CancellationToken ct, bool tracking = false)
    {
        var schema = await schemas.FirstOrDefaultAsync(new SchemaByIdSpec(schemaId, tracking), ct);
        var visible = schema is null ? null : await workspaces.VisibleWorkspaceIdsAsync(ct);
        if (schema is null || (visible is not null && !visible.Contains(schema.WorkspaceId)))
        {
            throw new NotFoundException("Schema", schemaId);
        }

        return schema;
    }
}
