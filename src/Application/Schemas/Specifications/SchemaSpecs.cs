using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Schemas;

namespace FunctionsPlatform.Application.Schemas.Specifications;

public sealed class SchemaInWorkspaceSpec : Specification<Schema>
{
    public SchemaInWorkspaceSpec(string id, string workspaceId) => Query.Where(s => s.Id == id && s.WorkspaceId == workspaceId);
}

public sealed class SchemaByIdSpec : Specification<Schema>
{
    public SchemaByIdSpec(string id, bool tracking = false)
    {
        Query.Where(s => s.Id == id);
        if (tracking)
        {
            Query.Tracking();
        }
    }
}

public sealed class SchemasVisibleToCallerSpec : Specification<Schema>
{
    public SchemasVisibleToCallerSpec(IReadOnlyCollection<string>? visibleWorkspaceIds, string? workspaceId)
    {
        var ids = visibleWorkspaceIds?.ToList();
        Query.Where(ids is not null, s => ids!.Contains(s.WorkspaceId));
        Query.Where(workspaceId is not null, s => s.WorkspaceId == workspaceId);
    }
}

/// <summary>Live (not soft-deleted) function versions that use the schema as input or output.</summary>
public sealed class LiveVersionsUsingSchemaSpec : Specification<FunctionsPlatform.Domain.FunctionVersions.FunctionVersion>
{
    public LiveVersionsUsingSchemaSpec(string schemaId) =>
        Query.IgnoreQueryFilters().Where(v => v.DeletedAt == null && (v.InputSchemaId == schemaId || v.OutputSchemaId == schemaId));
}
