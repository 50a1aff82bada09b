using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Security;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions.Specifications;
using FunctionsPlatform.Application.Workspaces;
using FunctionsPlatform.Domain.Functions;

namespace FunctionsPlatform.Application.Functions;

/// <summary>Loads a function by id for the caller: 404 when it is not visible (exactly as if it did not exist).</summary>
public interface IFunctionAccess
{
    Task<Function> GetVisibleAsync(string functionId, CancellationToken ct, bool tracking = false);

    /// <summary>404 unless the caller may see this (already loaded) function.</summary>
    Task EnsureVisibleAsync(Function function, CancellationToken ct);

    /// <summary>As <see cref="GetVisibleAsync"/>, tracked, and 403 for a non-admin changing a global system function.</summary>
    Task<Function> GetWritableAsync(string functionId, CancellationToken ct);
}

internal sealed class FunctionAccess(IRepository<Function> functions, IWorkspaceAccess workspaces, ICurrentPrincipal principal) : IFunctionAccess
{
    public async Task<Function> GetVisibleAsync(string functionId, CancellationToken ct, bool tracking = false)
    {
        var function = await functions.FirstOrDefaultAsync(new FunctionByIdSpec(functionId, tracking), ct);
        if (function is null)
        {
            throw NotFound(functionId);
        }

        await EnsureVisibleAsync(function, ct);
        return function;
    }

    public async Task EnsureVisibleAsync(Function function, CancellationToken ct)
    {
        if (function.System && principal.KeyWorkspaceId is null)
        {
            return;
        }

        // An admin's unbound key sees every workspace; anyone else is asked about this function's workspace alone.
        if ((!principal.IsAdmin || principal.KeyWorkspaceId is not null) && !await workspaces.CanSeeAsync(function.WorkspaceId, ct))
        {
            throw NotFound(function.Id);
        }
    }

    public async Task<Function> GetWritableAsync(string functionId, CancellationToken ct)
    {
        var function = await GetVisibleAsync(functionId, ct, tracking: true);
        if (function.System && !principal.IsAdmin)
        {
            throw new ForbiddenException("System functions can only be changed by an admin.");
        }

        return function;
    }

    public static NotFoundException NotFound(string id) => new("Function", id, "function_not_found");
}
