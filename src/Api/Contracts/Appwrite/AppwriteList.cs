using System.Text.Json.Nodes;

namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>Appwrite's list envelope: <c>{ "total": n, "&lt;items&gt;": [...] }</c>; <c>total</c> is 0 when the caller asked for none.</summary>
public static class AppwriteList
{
    public static JsonObject Of(string itemsName, IEnumerable<JsonNode> items, bool countTotal = true)
    {
        var array = new JsonArray([.. items]);
        return new JsonObject { ["total"] = countTotal ? array.Count : 0, [itemsName] = array };
    }

    /// <summary>A page of a longer list: <paramref name="total"/> is the count of matching rows (0 when not counted).</summary>
    public static JsonObject Of(string itemsName, IEnumerable<JsonNode> items, long total) =>
        new() { ["total"] = total, [itemsName] = new JsonArray([.. items]) };

    /// <summary>The <c>total</c> query parameter: absent means count; otherwise one of Appwrite's boolean forms.</summary>
    public static bool CountTotal(HttpRequest request) =>
        request.Query["total"].Count == 0
        || (LooseBooleanConverter.Parse(request.Query["total"].ToString())
            ?? throw new Application.Common.Errors.ValidationException("total", "Value must be a valid boolean"));
}
