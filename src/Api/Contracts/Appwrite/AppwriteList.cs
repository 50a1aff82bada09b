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
}
