using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;

namespace FunctionsPlatform.Api.Infrastructure;

/// <summary>Query-string parsing that answers a 400 naming the parameter instead of a binder failure.</summary>
public static class QueryParameters
{
    public static ListRequest ReadList(HttpRequest request) =>
        new(Text(request, "filter"), Text(request, "orderBy"), Int(request, "limit") ?? ListRequest.DefaultLimit, Text(request, "after"), Text(request, "before"), Total(request));

    private static TotalMode Total(HttpRequest request) => Text(request, "total") switch
    {
        null or "capped" => TotalMode.Capped,
        "exact" => TotalMode.Exact,
        _ => throw new ValidationException("total", "'total' must be capped or exact."),
    };

    public static string? Text(HttpRequest request, string name)
    {
        var values = request.Query[name];
        if (values.Count > 1)
        {
            throw new ValidationException(name, $"'{name}' was given more than once.");
        }

        return values.Count == 0 ? null : values[0];
    }

    public static int? Int(HttpRequest request, string name) =>
        Text(request, name) is not { } text ? null
        : int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw new ValidationException(name, $"'{name}' must be an integer.");

    public static bool? Bool(HttpRequest request, string name) => Text(request, name) switch
    {
        null => null,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new ValidationException(name, $"'{name}' must be true or false."),
    };

    public static IReadOnlyList<string>? Ids(HttpRequest request, string name = "ids") =>
        Text(request, name)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static DeletedVisibility IncludeDeleted(HttpRequest request) => Text(request, "include_deleted") switch
    {
        null or "false" => DeletedVisibility.Active,
        "true" => DeletedVisibility.All,
        "only" => DeletedVisibility.Only,
        _ => throw new ValidationException("include_deleted", "'include_deleted' must be false, true or only."),
    };
}
