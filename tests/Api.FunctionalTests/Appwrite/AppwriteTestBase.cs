using System.Net;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>/v1 calls as node-appwrite makes them: project and key headers, JSON bodies, Appwrite error bodies.</summary>
public abstract class AppwriteTestBase : FunctionalTestBase
{
    protected static HttpClient V1Client(string? key = TestServer.AdminKey, string? project = TestServer.DefaultWorkspace, string? responseFormat = "1.9.5")
    {
        var client = TestServer.CreateClient(token: null);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Appwrite-Key", key);
        }

        if (project is not null)
        {
            client.DefaultRequestHeaders.Add("X-Appwrite-Project", project);
        }

        if (responseFormat is not null)
        {
            client.DefaultRequestHeaders.Add("X-Appwrite-Response-Format", responseFormat);
        }

        return client;
    }

    protected static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? json = null) =>
        client.SendAsync(new HttpRequestMessage(method, url)
        {
            Content = json is null ? null : new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        });

    /// <summary>Asserts Appwrite's error body: HTTP status = <c>code</c>, the type, the server version; returns the message.</summary>
    protected static async Task<string> AssertAppwriteErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await ReadJsonAsync(response, status);
        Assert.Multiple(() =>
        {
            Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo(type), body.ToJsonString());
            Assert.That(body["code"]!.GetValue<int>(), Is.EqualTo((int)status));
            Assert.That(body["version"]!.GetValue<string>(), Is.EqualTo("1.9.6"));
            Assert.That(body["message"]!.GetValue<string>(), Is.Not.Empty);
        });
        return body["message"]!.GetValue<string>();
    }

    /// <summary>An API key of <paramref name="userId"/> with exactly <paramref name="scopes"/>, minted by the admin.</summary>
    protected async Task<string> MintKeyAsync(string userId, params string[] scopes)
    {
        var key = await ReadJsonAsync(await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(Admin, "/api/api-keys", new { name = "scoped", scopes, userId }), HttpStatusCode.Created);
        return key["token"]!.GetValue<string>();
    }

    protected static async Task<JsonNode> CreateV1FunctionAsync(HttpClient client, string id = "unique()", string extra = "")
    {
        var json = $$"""{"functionId":"{{id}}","name":"fn","runtime":"{{await NodeRuntimeAsync(client)}}"{{extra}}}""";
        return await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions", json), HttpStatusCode.Created);
    }

    protected static async Task<string> NodeRuntimeAsync(HttpClient client)
    {
        var runtimes = await ReadJsonAsync(await client.GetAsync("/v1/functions/runtimes"), HttpStatusCode.OK);
        return runtimes["runtimes"]!.AsArray().Select(r => r!["$id"]!.GetValue<string>()).First(id => id.StartsWith("node-", StringComparison.Ordinal));
    }
}
