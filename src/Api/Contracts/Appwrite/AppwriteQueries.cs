namespace FunctionsPlatform.Api.Contracts.Appwrite;

/// <summary>
/// Reads the <c>queries</c> array of a list request in every form the clients send it: <c>queries[0]=…&amp;queries[1]=…</c>
/// (node-appwrite), <c>queries[]=…</c> and repeated <c>queries=…</c> (other SDKs, the CLI). Indexed entries keep their index order.
/// </summary>
public static class AppwriteQueries
{
    public static IReadOnlyList<string> Read(HttpRequest request) => ReadArray(request, "queries");

    /// <summary>Any array parameter of a GET (<c>runtimes</c>, <c>useCases</c>), in the same forms as <c>queries</c>.</summary>
    public static IReadOnlyList<string> ReadArray(HttpRequest request, string parameter)
    {
        var plain = new List<string>();
        var indexed = new SortedDictionary<int, string>();
        foreach (var (name, values) in request.Query)
        {
            if (name == parameter || name == parameter + "[]")
            {
                plain.AddRange(values.OfType<string>());
            }
            else if (name.StartsWith(parameter + "[", StringComparison.Ordinal) && name.EndsWith(']')
                && int.TryParse(name.AsSpan(parameter.Length + 1, name.Length - parameter.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                indexed[index] = values.LastOrDefault() ?? "";
            }
        }

        return [.. indexed.Values, .. plain];
    }
}
