using FunctionsPlatform.Application.Abstractions.Querying;

namespace FunctionsPlatform.Api.Contracts;

/// <summary>The envelope of a small, unpaged list: one page holding everything.</summary>
public static class UnpagedList
{
    public static ListResponse<T> Of<T>(IReadOnlyList<T> items) =>
        new(items, new PageInfo(items.Count, false, false, null, null));
}
