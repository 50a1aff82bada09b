namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>
/// The raw list parameters of an /api list on top of its scope: the <c>filter</c> / <c>orderBy</c> JSON, the page
/// bounds and how exact <c>total</c> must be. <c>ListQueryBuilder.FromApi</c> turns them into a <see cref="ListQuery{T}"/>.
/// </summary>
public sealed record ListRequest(string? Filter, string? OrderBy, int Limit, string? After, string? Before, TotalMode Total = TotalMode.Capped)
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 100;
}

/// <summary>
/// How <c>total</c> is counted. <see cref="Capped"/> (the default) counts matching rows up to the configured cap, so a
/// list costs at most a bounded walk however large the filtered set is; <see cref="Exact"/> counts all of them.
/// Unfiltered lists with a maintained counter are exact either way.
/// </summary>
public enum TotalMode
{
    Capped,
    Exact,
}

/// <summary>
/// The page info of a list. <see cref="TotalExact"/> is false when counting stopped at the cap: there are at least
/// <see cref="Total"/> rows (as Elasticsearch's <c>relation: gte</c> or GitHub's <c>incomplete_results</c>).
/// </summary>
public sealed record PageInfo(long Total, bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor, bool TotalExact = true);

public sealed record Page<T>(IReadOnlyList<T> Items, PageInfo PageInfo)
{
    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new([.. Items.Select(map)], PageInfo);
}
