using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Domain.Executions;

namespace FunctionsPlatform.Application.Executions.Queries.ListExecutions;

/// <summary>
/// The list clients page through: no filter, creation order (either way), an offset, <c>total</c> capped or skipped.
/// It is read by <see cref="IExecutionPages"/> instead of the general runner, with the page flags and total the runner
/// would give: <c>total</c> is the count up to the cap (the cap and not exact beyond it), or the page itself when a
/// first page holds every row; rows before the page exist when the offset skipped any.
/// </summary>
public sealed record PlainExecutionPage(bool Descending, int Offset, int Limit, int? TotalCap)
{
    /// <summary>Null when the list needs the general runner (a filter, another order, a cursor, an exact total).</summary>
    public static PlainExecutionPage? Of(ListQuery<Execution> list)
    {
        var model = list.Model;
        if (list.Filter is not null || list.Paging is not OffsetPaging paging || list.Order.Count != 2
            || list.Order[0].Field != model.CreatedAt || list.Order[1].Field != model.Id || list.Order[0].Descending != list.Order[1].Descending)
        {
            return null;
        }

        int? cap = list.Total switch
        {
            CountUpTo { Cap: { } fixedCap } => fixedCap,
            NotCounted => null,
            _ => -1,
        };
        return cap == -1 ? null : new PlainExecutionPage(list.Order[0].Descending, paging.Offset, list.Limit, cap);
    }

    public async Task<Page<ExecutionDto>> ReadAsync(IExecutionPages pages, string functionId, int timeoutSeconds, DateTimeOffset now, CancellationToken ct)
    {
        // Past the cap the count stops (cap + 1 tells "more than the cap"); with no total an offset page still asks
        // whether any row exists, to tell an empty page past the end from an empty list.
        int? countUpTo = TotalCap is { } totalCap ? totalCap + 1 : Offset > 0 ? 1 : null;
        var read = await pages.ReadAsync(new ExecutionPageRequest(functionId, Descending, Offset, Limit + 1, countUpTo), ct);
        var more = read.Rows.Count > Limit;
        var rows = more ? read.Rows.Take(Limit) : read.Rows;
        var (total, exact) = TotalCap switch
        {
            null => (0L, false),
            _ when Offset == 0 && !more => ((long)read.Rows.Count, true),
            { } cap when read.Counted > cap => ((long)cap, false),
            _ => (read.Counted ?? 0, true),
        };
        var behind = Offset > 0 && (read.Rows.Count > 0 || read.Counted > 0);
        return new Page<ExecutionDto>(
            [.. rows.Select(e => ExecutionDto.From(e, timeoutSeconds, now))],
            new PageInfo(total, HasNextPage: more, HasPreviousPage: behind, StartCursor: null, EndCursor: null, TotalExact: exact));
    }
}
