using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Functions;
using FunctionsPlatform.Application.FunctionVersions.Specifications;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Domain.FunctionVersions;

namespace FunctionsPlatform.Application.FunctionVersions;

/// <summary>Loads a version with its function for the caller: visible only through its function (404 otherwise).</summary>
public interface IFunctionVersionAccess
{
    Task<(FunctionVersion Version, Function Function)> GetVisibleAsync(string versionId, CancellationToken ct);

    /// <summary>Tracked, for a change: the function must be writable by the caller.</summary>
    Task<(FunctionVersion Version, Function Function)> GetWritableAsync(string versionId, CancellationToken ct);
}

internal sealed class FunctionVersionAccess(IRepository<FunctionVersion> versions, IFunctionAccess functions) : IFunctionVersionAccess
{
    public async Task<(FunctionVersion Version, Function Function)> GetVisibleAsync(string versionId, CancellationToken ct)
    {
        var version = await versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(versionId), ct) ?? throw NotFound(versionId);
        var function = await VisibleFunction(version, writable: false, ct);
        return (version, function);
    }

    public async Task<(FunctionVersion Version, Function Function)> GetWritableAsync(string versionId, CancellationToken ct)
    {
        var version = await versions.FirstOrDefaultAsync(new FunctionVersionByIdSpec(versionId, tracking: true), ct) ?? throw NotFound(versionId);
        var function = await VisibleFunction(version, writable: true, ct);
        return (version, function);
    }

    private async Task<Function> VisibleFunction(FunctionVersion version, bool writable, CancellationToken ct)
    {
        try
        {
            return writable
                ? await functions.GetWritableAsync(version.FunctionId, ct)
                : await functions.GetVisibleAsync(version.FunctionId, ct);
        }
        catch (NotFoundException)
        {
            throw NotFound(version.Id);
        }
    }

    public static NotFoundException NotFound(string id) => new("Function version", id, "function_version_not_found");
}
