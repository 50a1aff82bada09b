using FunctionsPlatform.Application.Abstractions.Specifications;

namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>
/// One validated list, whichever language it was written in (/api <c>filter</c>/<c>orderBy</c> or Appwrite
/// <c>queries[]</c>): the filter tree, the complete order (id last), how the page is found, its size and how
/// <c>total</c> is produced. It is built before any database work; the handler then adds the rows the caller may see
/// with <see cref="Within"/> and hands it to <see cref="IListQueryRunner"/>.
/// </summary>
/// <param name="Model">The catalogue the filter and order were checked against; cursors are bound to it.</param>
public sealed record ListQuery<T>(
    IQueryModel Model,
    FilterNode? Filter,
    IReadOnlyList<OrderKey> Order,
    ListPaging Paging,
    int Limit,
    ListTotal Total) where T : class
{
    /// <summary>
    /// The rows listed, as disjoint parts whose union is the list. Each part is paged by its own index seek and the
    /// pages are merged in SQL, where one OR-ed predicate would defeat the index order. Empty until
    /// <see cref="Within"/>: the runner refuses an unscoped list.
    /// </summary>
    public IReadOnlyList<Specification<T>> Scope { get; init; } = [];

    /// <summary>The attributes an Appwrite <c>select</c> keeps in the response (null: all); the runner loads whole rows.</summary>
    public IReadOnlyList<string>? Select { get; init; }

    public ListQuery<T> Within(params IReadOnlyList<Specification<T>> scopeParts) => this with { Scope = scopeParts };

    /// <summary>The scope's exact size, known without counting (a maintained counter); only meaningful without a filter.</summary>
    public ListQuery<T> WithKnownTotal(long total) => this with { Total = new KnownTotal(total) };
}
