using FunctionsPlatform.Application.Abstractions.Querying;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>
/// The bounds of the raw /api list parameters, defined once: the request validators report them beside the other
/// parameter errors, and <see cref="ListQueryBuilder.FromApi"/> enforces the same rules when called directly.
/// </summary>
public static class ApiListRules
{
    public const int MaxFilterLength = 16384;
    public const int MaxOrderByLength = 4096;

    public static IEnumerable<(string Field, string Message)> Violations(ListRequest list)
    {
        if (list.Limit is < 1 or > ListRequest.MaxLimit)
        {
            yield return ("limit", $"'limit' must be between 1 and {ListRequest.MaxLimit}.");
        }

        if (list.After is not null && list.Before is not null)
        {
            yield return ("after", "'after' and 'before' cannot be used together.");
        }

        if (list.Filter is { Length: > MaxFilterLength })
        {
            yield return ("filter", $"'filter' is at most {MaxFilterLength} characters.");
        }

        if (list.OrderBy is { Length: > MaxOrderByLength })
        {
            yield return ("orderBy", $"'orderBy' is at most {MaxOrderByLength} characters.");
        }
    }
}
