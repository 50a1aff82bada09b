using FunctionsPlatform.Application.Abstractions.Specifications;

namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>
/// What a list endpoint asks for on top of its scope: the raw <c>filter</c> / <c>orderBy</c> JSON, the page bounds
/// (CONTRACT §3) and how exact <c>total</c> must be.
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
/// CONTRACT §3's page info. <see cref="TotalExact"/> is false when counting stopped at the cap: there are at least
/// <see cref="Total"/> rows (as Elasticsearch's <c>relation: gte</c> or GitHub's <c>incomplete_results</c>).
/// </summary>
public sealed record PageInfo(long Total, bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor, bool TotalExact = true);

public sealed record Page<T>(IReadOnlyList<T> Items, PageInfo PageInfo)
{
    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new([.. Items.Select(map)], PageInfo);
}

/// <summary>
/// Runs a list: applies <paramref name="scope"/> (visibility, soft-delete, shorthand filters), then the parsed and
/// validated <c>filter</c>, the <c>orderBy</c> (default <c>createdAt desc, id desc</c>) and a keyset page.
/// Malformed input is a <c>ValidationException</c> naming the path (e.g. <c>filter.OR[2].name.icontains</c>).
/// </summary>
public interface IListQueryRunner
{
    Task<Page<T>> RunAsync<T>(Specification<T> scope, ListRequest request, CancellationToken ct = default) where T : class;

    /// <param name="unfilteredTotal">
    /// The exact size of <paramref name="scope"/> from a maintained counter; used for <c>total</c> when the request has
    /// no <c>filter</c>, instead of counting rows.
    /// </param>
    Task<Page<T>> RunAsync<T>(Specification<T> scope, ListRequest request, Func<CancellationToken, Task<long>>? unfilteredTotal, CancellationToken ct = default) where T : class;

    /// <param name="scopeParts">
    /// The scope as disjoint parts whose union is listed: each is paged by its own index seek and the pages are merged
    /// in SQL, where one OR-ed predicate would defeat the index order.
    /// </param>
    /// <param name="unfilteredTotal">As in the single-scope overload: the exact size of the whole union.</param>
    Task<Page<T>> RunAsync<T>(IReadOnlyList<Specification<T>> scopeParts, ListRequest request, Func<CancellationToken, Task<long>>? unfilteredTotal, CancellationToken ct = default)
        where T : class;
}
