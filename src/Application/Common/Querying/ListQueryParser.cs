using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Application.Common.Querying;

/// <summary>Turns the raw list parameters of an /api list into a validated <see cref="ListQuery"/>.</summary>
public static class ListQueryParser
{
    public static ListQuery Parse(ListRequest request, IQueryModel model)
    {
        if (request.Limit is < 1 or > ListRequest.MaxLimit)
        {
            throw new ValidationException("limit", $"The limit must be between 1 and {ListRequest.MaxLimit}.");
        }

        if (!string.IsNullOrEmpty(request.After) && !string.IsNullOrEmpty(request.Before))
        {
            throw new ValidationException("before", "Use either after or before, not both.");
        }

        return new ListQuery(
            FilterJsonParser.Parse(request.Filter, model),
            OrderByJsonParser.Parse(request.OrderBy, model),
            request.Limit,
            string.IsNullOrEmpty(request.After) ? null : request.After,
            string.IsNullOrEmpty(request.Before) ? null : request.Before);
    }
}
