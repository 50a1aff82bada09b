using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Querying;

/// <summary>
/// Random and mutated <c>filter</c> / <c>orderBy</c> / cursor / <c>limit</c> strings against the list endpoints: every
/// answer is 2xx or 4xx (4xx as problem details), never 5xx, and the data is unchanged afterwards.
/// </summary>
public sealed class ListQueryFuzzTests : FunctionalTestBase
{
    private static readonly string[] Filters =
    [
        """{"name":{"icontains":"ALP"}}""",
        """{"OR":[{"name":{"startsWith":"a"}},{"description":{"isNull":true}}]}""",
        """{"NOT":{"createdAt":{"lt":"2020-01-01T00:00:00.000Z"}}}""",
        """{"versions":{"some":{"name":"v1"}},"defaultVersion":{"name":{"neq":"x"}}}""",
        """{"source":{"in":["custom","system"]},"system":false}""",
        """{"and":[{"timeout":{"gte":1}},{"enabled":true}]}""",
        """{"function":{"name":{"contains":"%_["}}}""",
    ];

    private const string Syntax = "{}[]\":,\\ 0aZ";

    private static readonly string[] Orders =
    [
        """[{"name":"asc"}]""", """[{"createdAt":"desc_nulls_first"},{"description":"asc_nulls_last"}]""", """[{"id":"desc"}]""", """[{"name":"desc"}]""",
    ];

    private static readonly string[] Hostile =
    [
        "'; DROP TABLE functions; --", "%", "_", "[", "\\", "\"", "\u0000", "😀", "\ud800", "{", "}", "[]", "null", "1e309", "-0", "NaN",
        new string('{', 200), new string('[', 200), "{\"NOT\":" + string.Concat(Enumerable.Repeat("{\"NOT\":", 20)) + "{}" + new string('}', 21),
        "{\"name\":{\"in\":[" + string.Join(",", Enumerable.Range(0, 150)) + "]}}", new string('a', 5000),
    ];

    [Test]
    public async Task Lists_WithRandomAndMutatedQueryStrings_NeverAnswer5xxAndChangeNothing()
    {
        for (var i = 0; i < 6; i++)
        {
            await CreateFunctionAsync(i % 2 == 0 ? $"alpha {i} %_[" : $"Beta {i}");
        }

        var before = await SnapshotAsync();
        var cursor = (await GetAsync("/api/functions?limit=2"))["pageInfo"]!["endCursor"]!.GetValue<string>();
        var random = new Random(20261124);
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < 400; i++)
        {
            var path = random.Next(3) == 0 ? "/api/function-versions" : "/api/functions";
            var query = new List<string>();
            if (random.Next(4) != 0)
            {
                query.Add("filter=" + Uri.EscapeDataString(Mutate(random, Pick(random, Filters), 4)));
            }

            if (random.Next(3) == 0)
            {
                query.Add("orderBy=" + Uri.EscapeDataString(Mutate(random, Pick(random, Orders), 3)));
            }

            if (random.Next(3) == 0)
            {
                query.Add((random.Next(2) == 0 ? "after=" : "before=") + Uri.EscapeDataString(Mutate(random, cursor, 2)));
            }

            if (random.Next(4) == 0)
            {
                query.Add("limit=" + Uri.EscapeDataString(Pick(random, ["0", "1", "100", "101", "-1", "abc", "99999999999", "2.5", ""])));
            }

            var url = path + (query.Count == 0 ? "" : "?" + string.Join("&", query));
            using var response = await Admin.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            Assert.That((int)response.StatusCode, Is.LessThan(500), $"{url}\n{body}");
            if ((int)response.StatusCode >= 400)
            {
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), url);
            }
        }

        TestContext.Out.WriteLine(string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}")));
        Assert.That(statuses.Keys, Does.Contain(HttpStatusCode.OK).And.Contain(HttpStatusCode.BadRequest));
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Functions_FilterOrderAndCursors_WalkThePagesOverHttp()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateFunctionAsync($"walk {i}");
        }

        var filter = Uri.EscapeDataString("""{"name":{"startsWith":"walk"}}""");
        var order = Uri.EscapeDataString("""[{"name":"desc"}]""");
        var names = new List<string>();
        string? after = null;
        do
        {
            var page = await GetAsync($"/api/functions?limit=2&filter={filter}&orderBy={order}" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            names.AddRange(page["data"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
            Assert.That(page["pageInfo"]!["total"]!.GetValue<long>(), Is.EqualTo(5));
            after = page["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? page["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        }
        while (after is not null);

        Assert.That(names, Is.EqualTo(new[] { "walk 4", "walk 3", "walk 2", "walk 1", "walk 0" }));

        var foreign = await Admin.GetAsync($"/api/functions?limit=2&orderBy={Uri.EscapeDataString("""[{"name":"asc"}]""")}&after=" +
            Uri.EscapeDataString((await GetAsync($"/api/functions?limit=2&orderBy={order}"))["pageInfo"]!["endCursor"]!.GetValue<string>()));
        var problem = await ReadJsonAsync(foreign, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("after"));

        var bad = await ReadJsonAsync(await Admin.GetAsync("/api/functions?filter=" + Uri.EscapeDataString("""{"OR":[{"name":"a"},{"name":"b"},{"name":{"icontains":5}}]}""")), HttpStatusCode.BadRequest);
        Assert.That(bad["errors"]!.AsObject().Select(e => e.Key), Does.Contain("filter.OR[2].name.icontains"));
    }

    private async Task<JsonNode> GetAsync(string url) => await ReadJsonAsync(await Admin.GetAsync(url), HttpStatusCode.OK);

    private async Task<string> SnapshotAsync()
    {
        var functions = await GetAsync("/api/functions?limit=100&include_deleted=true");
        var versions = await GetAsync("/api/function-versions?limit=100&include_deleted=true");
        return functions["data"]!.ToJsonString() + versions["data"]!.ToJsonString();
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    /// <summary>Inserts, deletes, replaces characters or splices hostile fragments into a valid string.</summary>
    private static string Mutate(Random random, string text, int maxEdits)
    {
        var builder = new StringBuilder(text);
        for (var edits = random.Next(maxEdits + 1); edits > 0; edits--)
        {
            var at = builder.Length == 0 ? 0 : random.Next(builder.Length);
            switch (random.Next(5))
            {
                case 0 when builder.Length > 0:
                    builder.Remove(at, 1);
                    break;
                case 1:
                    builder.Insert(at, Syntax[random.Next(Syntax.Length)]);
                    break;
                case 2 when builder.Length > 0:
                    builder[at] = (char)random.Next(32, 0x3000);
                    break;
                case 3:
                    builder.Insert(at, Pick(random, Hostile));
                    break;
                default:
                    return Pick(random, Hostile);
            }
        }

        return builder.ToString();
    }
}
