namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>
/// Reads the <c>queries</c> array of a list request in every form the clients send it: <c>queries[0]=…&amp;queries[1]=…</c>
/// (node-appwrite), <c>queries[]=…</c> and repeated <c>queries=…</c> (other SDKs, the CLI). Indexed entries keep their index order.
/// </summary>
public static class AppwriteQueries
{
    public static IReadOnlyList<string> Read(HttpRequest request)
    {
        var plain = new List<string>();
        var indexed = new SortedDictionary<int, string>();
        foreach (var (name, values) in request.Query)
        {
            if (name is "queries" or "queries[]")
            {
                plain.AddRange(values.OfType<string>());
            }
            else if (name.StartsWith("queries[", StringComparison.Ordinal) && name.EndsWith(']')
                && int.TryParse(name.AsSpan("queries[".Length, name.Length - "queries[".Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                indexed[index] = values.LastOrDefault() ?? "";
            }
        }

        return [.. indexed.Values, .. plain];
    }
}
