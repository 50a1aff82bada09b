using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Functions;
using FunctionsPlatform.Infrastructure.Persistence.ReadModels;
using Microsoft.EntityFrameworkCore;

namespace FunctionsPlatform.Infrastructure.Persistence;

internal sealed class FunctionCounts(AppDbContext db) : IFunctionCounts
{
    public async Task<long> CountLiveAsync(IReadOnlyCollection<string>? workspaceIds, bool includeSystemElsewhere, CancellationToken ct)
    {
        var counts = db.Set<WorkspaceFunctionCount>().AsNoTracking();
        if (workspaceIds is null)
        {
            // Every workspace: system functions live in one of them, so they are already counted.
            return await counts.SumAsync(c => c.Live, ct);
        }

        var ids = workspaceIds.ToList();
        var inWorkspaces = await counts.Where(c => ids.Contains(c.WorkspaceId)).SumAsync(c => c.Live, ct);
        if (!includeSystemElsewhere)
        {
            return inWorkspaces;
        }

        // System functions are few (the System index): counting them is a short seek.
        var systemElsewhere = await db.Set<Function>().IgnoreQueryFilters().AsNoTracking()
            .LongCountAsync(f => f.System && f.DeletedAt == null && !ids.Contains(f.WorkspaceId), ct);
        return inWorkspaces + systemElsewhere;
    }
}
