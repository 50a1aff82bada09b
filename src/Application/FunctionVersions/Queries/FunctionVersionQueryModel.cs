using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.FunctionVersions.Queries;

/// <summary>What a version filter/order may reach, by the names /api shows.</summary>
public static class FunctionVersionQueryModel
{
    public static QueryModel<FunctionVersion> Instance { get; } = new QueryModel<FunctionVersion>("function version")
        .String("id", v => v.Id)
        .String("functionId", v => v.FunctionId)
        .String("name", v => v.Name)
        .String("parentId", v => v.ParentId, nullable: true)
        .String("inputSchemaId", v => v.InputSchemaId, nullable: true)
        .String("outputSchemaId", v => v.OutputSchemaId, nullable: true)
        .Date("createdAt", v => v.CreatedAt)
        .Date("updatedAt", v => v.UpdatedAt)
        .Date("deletedAt", v => v.DeletedAt)
        .ToOne<Function>("function", () => FunctionQueryModel.Instance, v => v.FunctionId, f => f.Id)
        .ToOne<FunctionVersion>("parent", () => FunctionVersionQueryModel.Instance!, v => v.ParentId, p => p.Id);
}
