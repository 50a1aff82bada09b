using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.FunctionVersions.Specifications;

public sealed class FunctionVersionByIdSpec : Specification<FunctionVersion>
{
    public FunctionVersionByIdSpec(string id, bool tracking = false)
    {
        Query.Where(v => v.Id == id).IgnoreQueryFilters();
        if (tracking)
        {
            Query.Tracking();
        }
    }
}

public sealed class VersionCountOfFunctionSpec : Specification<FunctionVersion>
{
    public VersionCountOfFunctionSpec(string functionId) => Query.Where(v => v.FunctionId == functionId).IgnoreQueryFilters();
}

/// <summary>Versions the caller may list: of one function, or (admins) of every function in the visible workspaces.</summary>
public sealed class FunctionVersionsVisibleSpec : Specification<FunctionVersion>
{
    public FunctionVersionsVisibleSpec(VersionListScope scope)
    {
        // An active-only list keeps the soft-delete query filter, which EF also applies inside relation subqueries: a
        // deleted version or function does not satisfy `versions some` / `function` predicates. The others lift it.
        switch (scope.IncludeDeleted)
        {
            case DeletedVisibility.All: Query.IgnoreQueryFilters(); break;
            case DeletedVisibility.Only: Query.IgnoreQueryFilters().Where(v => v.DeletedAt != null); break;
        }

        Query.Where(scope.FunctionId is not null, v => v.FunctionId == scope.FunctionId);
        Query.Where(scope.Ids is { Count: > 0 }, v => scope.Ids!.Contains(v.Id));
        Query.Where(scope.ParentId is not null, v => v.ParentId == scope.ParentId);
        Query.Where(scope.InputSchemaId is not null, v => v.InputSchemaId == scope.InputSchemaId);
        Query.Where(scope.OutputSchemaId is not null, v => v.OutputSchemaId == scope.OutputSchemaId);
    }
}
