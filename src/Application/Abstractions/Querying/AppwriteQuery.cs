namespace FunctionsPlatform.Application.Abstractions.Querying;

/// <summary>
/// Appwrite <c>queries[]</c> parsed into the shared tree plus the page parts. <see cref="Order"/> is complete (id as
/// the last tie-breaker; Appwrite's default is insertion order, i.e. <c>createdAt asc, id asc</c>). Limit, offset
/// and cursor are null when absent; the first of each wins, as in Appwrite.
/// </summary>
public sealed record AppwriteQuery(
    FilterNode? Filter,
    IReadOnlyList<OrderKey> Order,
    int? Limit,
    int? Offset,
    string? CursorAfter,
    string? CursorBefore,
    IReadOnlyList<string>? Select);
