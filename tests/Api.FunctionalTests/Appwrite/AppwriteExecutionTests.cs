using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using FunctionsPlatform.Domain.Executions;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>/v1/functions/{id}/executions: sync/async/scheduled create, get, list with queries, delete, errors and isolation.</summary>
public sealed class AppwriteExecutionTests : AppwriteTestBase
{
    private const string Code = """
        module.exports = async ({ req, res, log, error }) => {
          if (req.query.sleep) { await new Promise(r => setTimeout(r, Number(req.query.sleep))); }
          log('ran ' + req.path);
          error('to stderr');
          return res.json({ method: req.method, path: req.path, query: req.queryString, body: req.bodyText, custom: req.headers['x-custom'] ?? null });
        };
        """;

    /// <summary>A function of the default workspace with code in its default version (the /api way in).</summary>
    private async Task<string> FunctionWithCodeAsync(string name = "exec")
    {
        var function = await CreateFunctionAsync(name);
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { new { path = "index.js", content = Code } } }), HttpStatusCode.OK);
        return function["id"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient client, string fn, string json) =>
        SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/executions", json);

    [Test]
    public async Task Sync_ShouldRunAndAnswerTheFinishedExecutionInTheRequestedShape()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();

        var execution = await ReadJsonAsync(await CreateAsync(client, fn,
            """{"body":"{\"a\":1}","async":false,"path":"/p?x=1","method":"PUT","headers":{"x-custom":"v","content-type":"application/json"}}"""), HttpStatusCode.Created);

        var response = JsonNode.Parse(execution["responseBody"]!.GetValue<string>())!;
        Assert.Multiple(() =>
        {
            Assert.That(execution["status"]!.GetValue<string>(), Is.EqualTo("completed"), execution.ToJsonString());
            Assert.That(execution["functionId"]!.GetValue<string>(), Is.EqualTo(fn));
            Assert.That(execution.AsObject().ContainsKey("resourceId"), Is.False, "1.9.5 names the function functionId");
            Assert.That(execution["trigger"]!.GetValue<string>(), Is.EqualTo("http"));
            Assert.That(execution["requestMethod"]!.GetValue<string>(), Is.EqualTo("PUT"));
            Assert.That(execution["requestPath"]!.GetValue<string>(), Is.EqualTo("/p?x=1"));
            Assert.That(execution["responseStatusCode"]!.GetValue<int>(), Is.EqualTo(200));
            Assert.That(response["method"]!.GetValue<string>(), Is.EqualTo("PUT"));
            Assert.That(response["path"]!.GetValue<string>(), Is.EqualTo("/p"));
            Assert.That(response["query"]!.GetValue<string>(), Is.EqualTo("x=1"));
            Assert.That(response["body"]!.GetValue<string>(), Is.EqualTo("{\"a\":1}"));
            Assert.That(response["custom"]!.GetValue<string>(), Is.EqualTo("v"), "the function sees every header sent");
            var shown = execution["requestHeaders"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()).ToList();
            Assert.That(shown, Is.EqualTo(new[] { "content-type" }), "only Appwrite's allow-listed request headers are shown");
            Assert.That(execution["responseHeaders"]!.AsArray().Any(h => h!["name"]!.GetValue<string>() == "content-type"), Is.True);
            Assert.That(execution["logs"]!.GetValue<string>(), Does.Contain("ran /p"));
            Assert.That(execution["errors"]!.GetValue<string>(), Does.Contain("to stderr"));
            Assert.That(execution["duration"]!.GetValue<double>(), Is.GreaterThan(0));
            Assert.That(execution["scheduledAt"], Is.Null);
            Assert.That(execution["$permissions"]!.AsArray(), Is.Empty);
            foreach (var field in new[] { "$id", "$createdAt", "$updatedAt", "deploymentId" })
            {
                Assert.That(execution.AsObject().ContainsKey(field), Is.True, field);
            }
        });

        using var newest = V1Client(responseFormat: null);
        var read = await ReadJsonAsync(await newest.GetAsync($"/v1/functions/{fn}/executions/{execution["$id"]!.GetValue<string>()}"), HttpStatusCode.OK);
        Assert.That((read["resourceId"]!.GetValue<string>(), read["resourceType"]!.GetValue<string>(), read.AsObject().ContainsKey("functionId")),
            Is.EqualTo((fn, "functions", false)));
    }

    [Test]
    public async Task Async_ShouldAnswer202Waiting_ThenComplete()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();

        var created = await ReadJsonAsync(await CreateAsync(client, fn, """{"async":true,"body":"later"}"""), HttpStatusCode.Accepted);
        Assert.That(created["status"]!.GetValue<string>(), Is.EqualTo("waiting"));
        var id = created["$id"]!.GetValue<string>();

        var read = await PollAsync(client, fn, id, s => s is "completed" or "failed");
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("completed"), read.ToJsonString());
        Assert.That(read["responseStatusCode"]!.GetValue<int>(), Is.EqualTo(200));
    }

    [Test]
    public async Task Scheduled_ShouldBe202Scheduled_AndDeleteCancelsIt()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();
        var at = DateTimeOffset.UtcNow.AddHours(2);
        at = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

        var created = await ReadJsonAsync(await CreateAsync(client, fn, $$"""{"async":true,"scheduledAt":"{{at:yyyy-MM-dd'T'HH:mm:ss.fff}}+00:00"}"""), HttpStatusCode.Accepted);
        var id = created["$id"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(created["status"]!.GetValue<string>(), Is.EqualTo("scheduled"));
            Assert.That(created["trigger"]!.GetValue<string>(), Is.EqualTo("schedule"));
            Assert.That(DateTimeOffset.Parse(created["scheduledAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(at));
        });

        var deleted = await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{fn}/executions/{id}", "{}");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/executions/{id}"), HttpStatusCode.NotFound, "execution_not_found");
    }

    [TestCase("""{"async":true,"scheduledAt":"tomorrow"}""", "general_argument_invalid", TestName = "CreateExecution_ScheduledAtNotADate_ShouldBe400")]
    [TestCase("""{"async":true,"scheduledAt":"2020-01-01T00:00:00.000+00:00"}""", "general_argument_invalid", TestName = "CreateExecution_ScheduledAtInThePast_ShouldBe400")]
    [TestCase("""{"async":false,"scheduledAt":"2099-01-01T00:00:00.000+00:00"}""", "general_argument_invalid", TestName = "CreateExecution_ScheduledAtWithoutAsync_ShouldBe400")]
    [TestCase("""{"method":"TRACE"}""", "general_argument_invalid", TestName = "CreateExecution_UnknownMethod_ShouldBe400")]
    [TestCase("""{"path":"no-slash"}""", "general_argument_invalid", TestName = "CreateExecution_PathWithoutSlash_ShouldBe400")]
    [TestCase("""{"headers":{"x-appwrite-trigger":"event"}}""", "general_argument_invalid", TestName = "CreateExecution_ReservedHeader_ShouldBe400")]
    [TestCase("""{"headers":{"bad header":"v"}}""", "general_argument_invalid", TestName = "CreateExecution_BadHeaderName_ShouldBe400")]
    [TestCase("""{"headers":{"x":1}}""", "general_argument_invalid", TestName = "CreateExecution_HeaderValueNotAString_ShouldBe400")]
    [TestCase("""{"async":"maybe"}""", "general_argument_invalid", TestName = "CreateExecution_AsyncNotABoolean_ShouldBe400")]
    public async Task Create_BadInput_ShouldBe400(string json, string type)
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();
        var response = await CreateAsync(client, fn, json);
        Assert.That((int)response.StatusCode, Is.EqualTo(400), await response.Content.ReadAsStringAsync());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(body["type"]!.GetValue<string>(), Is.AnyOf(type, "general_bad_request"));
    }

    [Test]
    public async Task Create_UnknownFunctionOrNoCode_ShouldNameTheError()
    {
        using var client = V1Client();
        await AssertAppwriteErrorAsync(await CreateAsync(client, "nope", "{}"), HttpStatusCode.NotFound, "function_not_found");
        var withoutCode = (await CreateV1FunctionAsync(client))["$id"]!.GetValue<string>();
        await AssertAppwriteErrorAsync(await CreateAsync(client, withoutCode, "{}"), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{withoutCode}/executions/exe_nope"), HttpStatusCode.NotFound, "execution_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{withoutCode}/executions/exe_nope", "{}"), HttpStatusCode.NotFound, "execution_not_found");
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions/nope/executions"), HttpStatusCode.NotFound, "function_not_found");
    }

    [Test]
    public async Task Delete_RunningExecution_IsInProgress_ButAStaleOneIsFailedAndDeletable()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();
        var running = await AddClaimedAsync(fn, DateTimeOffset.UtcNow);
        var stale = await AddClaimedAsync(fn, DateTimeOffset.UtcNow.AddHours(-1));

        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{fn}/executions/{running}", "{}"), HttpStatusCode.BadRequest, "execution_in_progress");
        var read = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/executions/{stale}"), HttpStatusCode.OK);
        Assert.That(read["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        var deleted = await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{fn}/executions/{stale}", "{}");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task List_ShouldPageFilterAndCountTheFunctionsExecutions()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();
        var ids = new List<string>();
        foreach (var method in new[] { "GET", "POST", "GET" })
        {
            var created = await ReadJsonAsync(await CreateAsync(client, fn, $$"""{"method":"{{method}}"}"""), HttpStatusCode.Created);
            ids.Add(created["$id"]!.GetValue<string>());
        }

        var stale = await AddClaimedAsync(fn, DateTimeOffset.UtcNow.AddHours(-1));
        var running = await AddClaimedAsync(fn, DateTimeOffset.UtcNow);

        var all = await ListAsync(client, fn);
        Assert.That(Ids(all), Is.EqualTo(new[] { stale, ids[0], ids[1], ids[2], running }), "insertion order by default");
        Assert.That(all["total"]!.GetValue<int>(), Is.EqualTo(5));

        var gets = await ListAsync(client, fn, """{"method":"equal","attribute":"requestMethod","values":["GET"]}""", """{"method":"orderDesc","attribute":"$createdAt"}""");
        Assert.That(Ids(gets), Is.EqualTo(new[] { ids[2], ids[0] }));

        var failed = await ListAsync(client, fn, """{"method":"equal","attribute":"status","values":["failed"]}""");
        Assert.That(Ids(failed), Is.EqualTo(new[] { stale }), "a stale execution is failed in a filter too");
        Assert.That(failed["executions"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        var processing = await ListAsync(client, fn, """{"method":"equal","attribute":"status","values":["processing"]}""");
        Assert.That(Ids(processing), Is.EqualTo(new[] { running }));

        var page = await ListAsync(client, fn, """{"method":"limit","values":[2]}""", """{"method":"offset","values":[1]}""");
        Assert.That((Ids(page), page["total"]!.GetValue<int>()), Is.EqualTo((new[] { ids[0], ids[1] }, 5)));
        var after = await ListAsync(client, fn, $$"""{"method":"cursorAfter","values":["{{ids[1]}}"]}""");
        Assert.That(Ids(after), Is.EqualTo(new[] { ids[2], running }));

        var uncounted = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/executions?total=false"), HttpStatusCode.OK);
        Assert.That((uncounted["total"]!.GetValue<int>(), Ids(uncounted).Count), Is.EqualTo((0, 5)));
    }

    [TestCase("""{"method":"equal","attribute":"logs","values":["x"]}""", "general_argument_invalid", TestName = "ListExecutions_AttributeNotAllowed_ShouldBe400")]
    [TestCase("""{"method":"limit","values":[5001]}""", "general_argument_invalid", TestName = "ListExecutions_LimitAbove5000_ShouldBe400")]
    [TestCase("""{"method":"cursorAfter","values":["exe_missing"]}""", "general_cursor_not_found", TestName = "ListExecutions_UnknownCursor_ShouldBe400")]
    [TestCase("not json", "general_argument_invalid", TestName = "ListExecutions_QueryNotJson_ShouldBe400")]
    public async Task List_BadQuery_ShouldBe400(string query, string type)
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/executions?queries[0]={Uri.EscapeDataString(query)}"), HttpStatusCode.BadRequest, type);
    }

    [Test]
    public async Task List_TotalNotABoolean_ShouldBe400()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/executions?total=perhaps"), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task AnotherWorkspacesFunction_IsFunctionNotFound_ForEveryExecutionRoute()
    {
        var (tenant, workspaceId, _) = await CreateTenantAsync();
        var function = await CreateFunctionAsync("theirs", workspaceId, tenant);
        tenant.Dispose();
        var fn = function["id"]!.GetValue<string>();
        var own = await FunctionWithCodeAsync();
        using var admin = V1Client();
        var mine = (await ReadJsonAsync(await CreateAsync(admin, own, "{}"), HttpStatusCode.Created))["$id"]!.GetValue<string>();

        // The admin key reaches every workspace, but the project header scopes the function lookup.
        await AssertAppwriteErrorAsync(await CreateAsync(admin, fn, "{}"), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await admin.GetAsync($"/v1/functions/{fn}/executions"), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await admin.GetAsync($"/v1/functions/{fn}/executions/{mine}"), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(admin, HttpMethod.Delete, $"/v1/functions/{fn}/executions/{mine}", "{}"), HttpStatusCode.NotFound, "function_not_found");
        // An execution is read only through its own function.
        var other = await FunctionWithCodeAsync("other");
        await AssertAppwriteErrorAsync(await admin.GetAsync($"/v1/functions/{other}/executions/{mine}"), HttpStatusCode.NotFound, "execution_not_found");
    }

    [Test]
    public async Task Sync_PastThirtySeconds_Is408_AndTheRunIsRecordedAsFailed()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync();
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}", """{"name":"slow","timeout":60}"""), HttpStatusCode.OK);

        await AssertAppwriteErrorAsync(await CreateAsync(client, fn, """{"path":"/?sleep=45000"}"""), HttpStatusCode.RequestTimeout, "function_synchronous_timeout");

        var list = await ListAsync(client, fn);
        Assert.That(list["executions"]!.AsArray().Select(e => e!["status"]!.GetValue<string>()), Is.EqualTo(new[] { "failed" }));
    }

    private static async Task<JsonNode> PollAsync(HttpClient client, string fn, string id, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var read = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/executions/{id}"), HttpStatusCode.OK);
            if (done(read["status"]!.GetValue<string>()) || DateTime.UtcNow > deadline)
            {
                return read;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<JsonNode> ListAsync(HttpClient client, string fn, params string[] queries)
    {
        var query = string.Join("&", queries.Select((q, i) => $"queries[{i}]={Uri.EscapeDataString(q)}"));
        return await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/executions?{query}"), HttpStatusCode.OK);
    }

    private static List<string> Ids(JsonNode list) => [.. list["executions"]!.AsArray().Select(e => e!["$id"]!.GetValue<string>())];

    /// <summary>A processing execution created at <paramref name="createdAt"/> whose lease a worker still holds (so no worker touches it).</summary>
    private static async Task<string> AddClaimedAsync(string functionId, DateTimeOffset createdAt)
    {
        await using var scope = TestServer.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var execution = Execution.Create("exe_" + Guid.NewGuid().ToString("N")[..20], functionId, TestServer.DefaultWorkspace, ExecutionTrigger.Http, "POST", "/",
            [], "", createdAt, async: true);
        execution.Claim("elsewhere", DateTimeOffset.UtcNow, TimeSpan.FromHours(2));
        db.Executions.Add(execution);
        await db.SaveChangesAsync();
        return execution.Id;
    }
}
