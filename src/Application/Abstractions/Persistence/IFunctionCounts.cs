namespace FunctionsPlatform.Application.Abstractions.Persistence;

/// <summary>
/// Live (not soft-deleted) function counts that the database keeps with every write, so the <c>total</c> of an
/// unfiltered function list is a lookup rather than a walk over every row.
/// </summary>
public interface IFunctionCounts
{
    /// <summary>
    /// Live functions in <paramref name="workspaceIds"/> (null: every workspace), plus, when
    /// <paramref name="includeSystemElsewhere"/>, the live system functions of other workspaces.
    /// </summary>
    Task<long> CountLiveAsync(IReadOnlyCollection<string>? workspaceIds, bool includeSystemElsewhere, CancellationToken ct);
}
