namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>
/// Runs a validated <see cref="ListQuery{T}"/>: its scope, filter, order, page and total policy. It parses nothing: a
/// malformed request has already failed when the query was built. The one error it raises itself is an Appwrite
/// cursor naming a row that is not in the scope (<c>general_cursor_not_found</c>), which only the database can tell.
/// </summary>
public interface IListQueryRunner
{
    Task<Page<T>> RunAsync<T>(ListQuery<T> query, CancellationToken ct = default) where T : class;
}
