using System.Net;
using System.Text.Json.Nodes;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>GET /v1/functions: the project's functions through queries[] and search, and nothing of another project.</summary>
public sealed class AppwriteFunctionListTests : AppwriteTestBase
{
    [Test]
    public async Task List_ShouldFilterSearchPageAndStayInTheProject()
    {
        var (tenant, workspaceId, userId) = await CreateTenantAsync();
        tenant.Dispose();
        var key = await ReadJsonAsync(await Admin.PostAsync("/api/api-keys", System.Net.Http.Json.JsonContent.Create(new
        {
            name = "list",
            scopes = new[] { "functions.read", "functions.write" },
            userId,
        })), HttpStatusCode.Created);
        using var client = V1Client(key["token"]!.GetValue<string>(), workspaceId);
        var runtime = await NodeRuntimeAsync(client);
        foreach (var (id, name, timeout) in new[] { ("alpha", "Billing export", 10), ("beta", "billing import", 20), ("gamma", "mailer", 30) })
        {
            await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions",
                $$"""{"functionId":"{{id}}","name":"{{name}}","runtime":"{{runtime}}","timeout":{{timeout}}}"""), HttpStatusCode.Created);
        }

        var all = await ListAsync(client, "");
        Assert.That((Ids(all), all["total"]!.GetValue<int>()), Is.EqualTo((new[] { "alpha", "beta", "gamma" }, 3)));
        Assert.That(Ids(await ListAsync(client, "search=BILLING")), Is.EqualTo(new[] { "alpha", "beta" }), "search matches the name, ignoring case");
        Assert.That(Ids(await ListAsync(client, "search=gamma")), Is.EqualTo(new[] { "gamma" }), "search matches the id");
        Assert.That(Ids(await ListAsync(client, Q("""{"method":"greaterThan","attribute":"timeout","values":[15]}""", """{"method":"orderDesc","attribute":"timeout"}"""))),
            Is.EqualTo(new[] { "gamma", "beta" }));
        Assert.That(Ids(await ListAsync(client, Q("""{"method":"equal","attribute":"name","values":["mailer"]}"""))), Is.EqualTo(new[] { "gamma" }));
        var page = await ListAsync(client, Q("""{"method":"limit","values":[1]}""", """{"method":"offset","values":[1]}"""));
        Assert.That((Ids(page), page["total"]!.GetValue<int>()), Is.EqualTo((new[] { "beta" }, 3)));
        Assert.That(Ids(await ListAsync(client, Q("""{"method":"cursorAfter","values":["alpha"]}"""))), Is.EqualTo(new[] { "beta", "gamma" }));
        Assert.That(all["functions"]![0]!["vars"]!.AsArray(), Is.Empty);

        // The admin's own project lists none of them.
        using var admin = V1Client();
        Assert.That(Ids(await ListAsync(admin, "search=alpha")), Is.Empty);
        await AssertAppwriteErrorAsync(await admin.GetAsync("/v1/functions?" + Q("""{"method":"cursorAfter","values":["alpha"]}""")), HttpStatusCode.BadRequest, "general_cursor_not_found");
    }

    [TestCase("""{"method":"equal","attribute":"vars","values":["x"]}""", TestName = "ListFunctions_AttributeNotAllowed_ShouldBe400")]
    [TestCase("""{"method":"limit","values":[0]}""", TestName = "ListFunctions_LimitZero_ShouldBe400")]
    [TestCase("""{"method":"offset","values":[-1]}""", TestName = "ListFunctions_NegativeOffset_ShouldBe400")]
    public async Task List_BadQuery_ShouldBe400(string query)
    {
        using var client = V1Client();
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions?" + Q(query)), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task List_SearchLongerThan256_ShouldBe400()
    {
        using var client = V1Client();
        var message = await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions?search=" + new string('s', 257)), HttpStatusCode.BadRequest, "general_argument_invalid");
        Assert.That(message, Does.Contain("search"));
    }

    [Test]
    public async Task List_WithoutProject_IsProjectNotFound()
    {
        using var client = V1Client(project: null);
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions"), HttpStatusCode.NotFound, "project_not_found");
    }

    private static string Q(params string[] queries) => string.Join("&", queries.Select((q, i) => $"queries[{i}]={Uri.EscapeDataString(q)}"));

    private static async Task<JsonNode> ListAsync(HttpClient client, string query) =>
        await ReadJsonAsync(await client.GetAsync($"/v1/functions?{query}"), HttpStatusCode.OK);

    private static List<string> Ids(JsonNode list) => [.. list["functions"]!.AsArray().Select(f => f!["$id"]!.GetValue<string>())];
}
