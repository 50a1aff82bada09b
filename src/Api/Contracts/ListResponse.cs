using FunctionsPlatform.Application.Abstractions.Querying;

namespace FunctionsPlatform.Api.Contracts;

/// <summary>The /api list envelope: <c>{ data, pageInfo }</c>.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Data, PageInfo PageInfo)
{
    public static ListResponse<T> From(Page<T> page) => new(page.Items, page.PageInfo);
}
