using FunctionsPlatform.Application.Abstractions.Specifications;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Functions;

/// <summary>/v1 addresses functions inside one workspace (the Appwrite project).</summary>
public static class WorkspaceFunctions
{
    /// <summary>
    /// The function if it lives in <paramref name="workspaceId"/> and the caller may see it; a function of another
    /// workspace, or one soft-deleted on /api, is <c>function_not_found</c> exactly like one that does not exist.
    /// </summary>
    public static async Task<Function> GetInWorkspaceAsync(this IFunctionAccess access, string workspaceId, string functionId, CancellationToken ct, bool forWrite = false)
    {
        var function = forWrite ? await access.GetWritableAsync(functionId, ct) : await access.GetVisibleAsync(functionId, ct);
        if (function.WorkspaceId != workspaceId || function.IsDeleted)
        {
            throw FunctionAccess.NotFound(functionId);
        }

        return function;
    }
}

/// <summary>Whether an id is taken by any function, soft-deleted ones and other workspaces' included (ids are global).</summary>
public sealed class FunctionIdTakenSpec : Specification<Function>
{
    public FunctionIdTakenSpec(string id) => Query.Where(f => f.Id == id).IgnoreQueryFilters();
}
