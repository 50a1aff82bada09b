using FunctionsPlatform.Application.Abstractions.Specifications;

namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>What a list endpoint asks for on top of its scope: the raw <c>filter</c> / <c>orderBy</c> JSON and the page bounds (CONTRACT §3).</summary>
public sealed record ListRequest(string? Filter, string? OrderBy, int Limit, string? After, string? Before)
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 100;
}

public sealed record PageInfo(long Total, bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

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
}
