using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests;

namespace FunctionsPlatform.Api.FunctionalTests.Infrastructure;


/// <summary>Each test starts from empty data tables and talks to the server over HTTP as the admin (or as whoever it makes).</summary>
public abstract class FunctionalTestBase
{
    protected HttpClient Admin { get; private set; } = null!;

    [SetUp]
    public async Task ResetDatabaseAsync()
    {
        await TestServer.ResetAsync();
        Admin = TestServer.CreateClient();
    }

    [TearDown]
    public void DisposeClient() => Admin.Dispose();

    protected static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), text);
        return JsonNode.Parse(text.Length == 0 ? "null" : text)!;
    }

    protected static Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string url, string json) =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") });

    protected async Task<JsonNode> CreateFunctionAsync(string name = "hello", string workspaceId = TestServer.DefaultWorkspace, HttpClient? client = null)
    {
        var response = await (client ?? Admin).PostAsJsonAsync("/api/functions", new { workspaceId, name });
        return await ReadJsonAsync(response, HttpStatusCode.Created);
    }

    /// <summary>A fresh user with its own workspace and a key with the given scopes; returns (client, workspaceId, userId).</summary>
    protected async Task<(HttpClient Client, string WorkspaceId, string UserId)> CreateTenantAsync(params string[] scopes)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var user = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/users", new { name = $"user {suffix}", email = $"u{suffix}@example.test" }), HttpStatusCode.Created);
        var workspaceId = $"ws-{suffix}";
        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { name = $"workspace {suffix}", id = workspaceId }), HttpStatusCode.Created);
        await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/workspaces/{workspaceId}/members", new { userId = user["id"]!.GetValue<string>(), role = "owner" }), HttpStatusCode.OK);
        var key = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/api-keys", new
        {
            name = $"key {suffix}",
            scopes = scopes.Length == 0 ? ["functions.read", "functions.write", "executions.read", "executions.write"] : scopes,
            userId = user["id"]!.GetValue<string>(),
        }), HttpStatusCode.Created);
        return (TestServer.CreateClient(key["token"]!.GetValue<string>()), workspaceId, user["id"]!.GetValue<string>());
    }

    protected static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
