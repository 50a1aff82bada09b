using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>
/// The <c>x-appwrite-key</c> an execution gets: the function's code calls the API back with it, inside its own
/// workspace and within the function's scopes only.
/// </summary>
public sealed class AppwriteFunctionKeyTests : AppwriteTestBase
{
    /// <summary>Calls the API with its key: its own project's functions, another project's, a create, and the key admin routes.</summary>
    private const string CallBackCode = """
        module.exports = async ({ req, res }) => {
          const key = req.headers['x-appwrite-key'];
          const call = async (url, headers, init = {}) => {
            const r = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...headers } });
            return { status: r.status, body: await r.json().catch(() => null) };
          };
          const v1 = process.env.APPWRITE_FUNCTION_API_ENDPOINT;
          const own = process.env.APPWRITE_FUNCTION_PROJECT_ID;
          return res.json({
            prefix: key.slice(0, 10),
            list: await call(v1 + '/functions', { 'x-appwrite-key': key, 'x-appwrite-project': own }),
            other: await call(v1 + '/functions', { 'x-appwrite-key': key, 'x-appwrite-project': req.query.other }),
            create: await call(v1 + '/functions', { 'x-appwrite-key': key, 'x-appwrite-project': own },
              { method: 'POST', body: JSON.stringify({ functionId: 'unique()', name: 'made by a function', runtime: req.query.runtime }) }),
            keys: await call(v1.replace(/\/v1$/, '') + '/api/api-keys', { authorization: 'Bearer ' + key }),
            tampered: await call(v1 + '/functions', { 'x-appwrite-key': key.slice(0, -4) + 'AAAA', 'x-appwrite-project': own }),
          });
        };
        """;

    [Test]
    public async Task FunctionKey_ShouldReachItsOwnWorkspaceWithinItsScopes_AndNothingElse()
    {
        var (tenant, otherWorkspace, _) = await CreateTenantAsync();
        tenant.Dispose();
        using var client = V1Client();
        var runtime = await NodeRuntimeAsync(client);
        var fn = await FunctionWithCodeAsync(CallBackCode);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}", """{"name":"calls back","scopes":["functions.read","users.write"]}"""), HttpStatusCode.OK);

        var execution = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/executions",
            $$"""{"path":"/?other={{otherWorkspace}}&runtime={{runtime}}"}"""), HttpStatusCode.Created);

        Assert.That(execution["status"]!.GetValue<string>(), Is.EqualTo("completed"), execution.ToJsonString());
        var seen = JsonNode.Parse(execution["responseBody"]!.GetValue<string>())!;
        Assert.Multiple(() =>
        {
            Assert.That(seen["prefix"]!.GetValue<string>(), Is.EqualTo("ephemeral_"));
            Assert.That(seen["list"]!["status"]!.GetValue<int>(), Is.EqualTo(200), seen.ToJsonString());
            Assert.That(seen["list"]!["body"]!["functions"]!.AsArray().Select(f => f!["$id"]!.GetValue<string>()), Does.Contain(fn));
            Assert.That(seen["other"]!["status"]!.GetValue<int>(), Is.EqualTo(401), "another workspace: the key is bound to its own");
            Assert.That(seen["create"]!["status"]!.GetValue<int>(), Is.EqualTo(403), "functions.write is not among the function's scopes");
            Assert.That(seen["create"]!["body"]!["type"]!.GetValue<string>(), Is.EqualTo("general_unauthorized_scope"));
            Assert.That(seen["keys"]!["status"]!.GetValue<int>(), Is.EqualTo(403), "a function's key never manages keys");
            Assert.That(seen["tampered"]!["status"]!.GetValue<int>(), Is.EqualTo(401), "a tampered key is no key");
            Assert.That(execution["requestHeaders"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()), Has.None.EqualTo("x-appwrite-key"),
                "the key is never stored with the execution");
        });
    }

    [Test]
    public async Task FunctionKey_CannotBeReplacedByTheCaller()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync("module.exports = async ({ req, res }) => res.text(req.headers['x-appwrite-key']);");

        var execution = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/executions",
            """{"headers":{"x-custom":"1"}}"""), HttpStatusCode.Created);
        var reserved = await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/executions", """{"headers":{"x-appwrite-key":"mine"}}""");

        Assert.That(execution["responseBody"]!.GetValue<string>(), Does.StartWith("ephemeral_"));
        await AssertAppwriteErrorAsync(reserved, HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    private async Task<string> FunctionWithCodeAsync(string code)
    {
        var function = await CreateFunctionAsync("key-user");
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { new { path = "index.js", content = code } } }), HttpStatusCode.OK);
        return function["id"]!.GetValue<string>();
    }
}
