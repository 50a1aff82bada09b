using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Domain.Schemas;

namespace FunctionsPlatform.Application.Schemas.Queries;

/// <summary>What a schema filter/order may reach (its metadata; the document itself is not filterable).</summary>
public static class SchemaQueryModel
{
    public static QueryModel<Schema> Instance { get; } = new QueryModel<Schema>("schema")
        .String("id", s => s.Id)
        .String("workspaceId", s => s.WorkspaceId)
        .String("name", s => s.Name)
        .Date("createdAt", s => s.CreatedAt)
        .Date("updatedAt", s => s.UpdatedAt);
}
