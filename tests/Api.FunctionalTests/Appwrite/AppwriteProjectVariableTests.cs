using System.Net;
using System.Net.Http.Json;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>/v1/project/variables: workspace-wide variables every function of the workspace sees, under its own.</summary>
public sealed class AppwriteProjectVariableTests : AppwriteTestBase
{
    private const string Route = "/v1/project/variables";

    [Test]
    public async Task Crud_ShouldBehaveAsAppwrite_AndKeepSecretsHidden()
    {
        using var client = V1Client();
        var created = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, Route, """{"key":"SHARED","value":"s3cr3t"}"""), HttpStatusCode.Created);
        var id = created["$id"]!.GetValue<string>();
        var read = await ReadJsonAsync(await client.GetAsync($"{Route}/{id}"), HttpStatusCode.OK);
        var list = await ReadJsonAsync(await client.GetAsync(Route), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(id, Does.StartWith("var_"));
            foreach (var model in new[] { created, read, list["variables"]![0]! })
            {
                Assert.That(model["secret"]!.GetValue<bool>(), Is.True, "secret defaults to true");
                Assert.That(model["value"]!.GetValue<string>(), Is.Empty, "a secret's value never reads back");
                Assert.That(model["key"]!.GetValue<string>(), Is.EqualTo("SHARED"));
                Assert.That(model["resourceType"]!.GetValue<string>(), Is.EqualTo("project"));
                Assert.That(model["resourceId"]!.GetValue<string>(), Is.Empty);
                Assert.That(model["$createdAt"]!.GetValue<string>(), Is.Not.Empty);
            }

            Assert.That(list["total"]!.GetValue<int>(), Is.EqualTo(1));
        });

        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, Route, """{"variableId":"plain","key":"PLAIN","value":"1","secret":false}"""), HttpStatusCode.Created);
        var renamed = await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"{Route}/plain", """{"key":"PLAIN2"}"""), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(renamed["key"]!.GetValue<string>(), Is.EqualTo("PLAIN2"));
            Assert.That(renamed["value"]!.GetValue<string>(), Is.EqualTo("1"), "the omitted value is kept");
        });
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"{Route}/{id}", """{"secret":false}"""), HttpStatusCode.BadRequest, "variable_cannot_unset_secret");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"{Route}/plain", """{"key":"SHARED"}"""), HttpStatusCode.Conflict, "variable_already_exists");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"{Route}/plain", "{}"), HttpStatusCode.BadRequest, "general_argument_invalid");

        var deleted = await SendAsync(client, HttpMethod.Delete, $"{Route}/plain", "{}");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertAppwriteErrorAsync(await client.GetAsync($"{Route}/plain"), HttpStatusCode.NotFound, "variable_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Delete, $"{Route}/plain", "{}"), HttpStatusCode.NotFound, "variable_not_found");
    }

    [Test]
    public async Task Create_DuplicateKeyOrId_ShouldBe409_IdsBeingSharedWithFunctionVariables()
    {
        using var client = V1Client();
        var fn = (await CreateV1FunctionAsync(client))["$id"]!.GetValue<string>();
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"fnvar","key":"F","value":"1"}"""), HttpStatusCode.Created);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, Route, """{"variableId":"p1","key":"K","value":"1"}"""), HttpStatusCode.Created);

        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, Route, """{"key":"K","value":"2"}"""), HttpStatusCode.Conflict, "variable_already_exists");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, Route, """{"variableId":"p1","key":"OTHER","value":"2"}"""), HttpStatusCode.Conflict, "variable_already_exists");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, Route, """{"variableId":"fnvar","key":"OTHER","value":"2"}"""), HttpStatusCode.Conflict, "variable_already_exists");
    }

    [TestCase("""{"value":"v"}""", "key", TestName = "CreateProjectVariable_MissingKey_ShouldBe400")]
    [TestCase("""{"key":"K"}""", "value", TestName = "CreateProjectVariable_MissingValue_ShouldBe400")]
    [TestCase("""{"key":"   ","value":"v"}""", "key", TestName = "CreateProjectVariable_BlankKey_ShouldBe400")]
    [TestCase("""{"key":"KEY256","value":"v"}""", "key", TestName = "CreateProjectVariable_KeyLongerThan255_ShouldBe400")]
    [TestCase("""{"key":"K","value":"VALUE8193"}""", "value", TestName = "CreateProjectVariable_ValueLongerThan8192_ShouldBe400")]
    [TestCase("""{"variableId":".dot","key":"K","value":"v"}""", "variableId", TestName = "CreateProjectVariable_BadId_ShouldBe400")]
    public async Task Create_BadInput_ShouldBe400(string json, string field)
    {
        using var client = V1Client();
        json = json.Replace("KEY256", new string('k', 256)).Replace("VALUE8193", new string('v', 8193));
        var message = await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, Route, json), HttpStatusCode.BadRequest, "general_argument_invalid");
        Assert.That(message, Does.Contain(field));
        var list = await ReadJsonAsync(await client.GetAsync(Route), HttpStatusCode.OK);
        Assert.That(list["total"]!.GetValue<int>(), Is.Zero, "nothing stored");
    }

    [Test]
    public async Task List_ShouldRefuseQueriesAndHonourTotalFalse()
    {
        using var client = V1Client();
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, Route, """{"key":"K","value":"v"}"""), HttpStatusCode.Created);
        var noTotal = await ReadJsonAsync(await client.GetAsync($"{Route}?total=false"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(noTotal["total"]!.GetValue<int>(), Is.Zero);
            Assert.That(noTotal["variables"]!.AsArray(), Has.Count.EqualTo(1));
        });
        var query = Uri.EscapeDataString("""{"method":"limit","values":[1]}""");
        await AssertAppwriteErrorAsync(await client.GetAsync($"{Route}?queries[]={query}"), HttpStatusCode.BadRequest, "general_query_invalid");
    }

    [Test]
    public async Task AnotherWorkspacesVariable_ShouldBeInvisible()
    {
        using var mine = V1Client();
        await ReadJsonAsync(await SendAsync(mine, HttpMethod.Post, Route, """{"variableId":"ours","key":"K","value":"v","secret":false}"""), HttpStatusCode.Created);
        var tenant = await CreateTenantAsync();
        tenant.Client.Dispose();
        using var theirs = V1Client(await MintKeyAsync(tenant.UserId, "functions.read", "functions.write"), tenant.WorkspaceId);

        var list = await ReadJsonAsync(await theirs.GetAsync(Route), HttpStatusCode.OK);
        Assert.That(list["total"]!.GetValue<int>(), Is.Zero);
        await AssertAppwriteErrorAsync(await theirs.GetAsync($"{Route}/ours"), HttpStatusCode.NotFound, "variable_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(theirs, HttpMethod.Put, $"{Route}/ours", """{"value":"x"}"""), HttpStatusCode.NotFound, "variable_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(theirs, HttpMethod.Delete, $"{Route}/ours", "{}"), HttpStatusCode.NotFound, "variable_not_found");
        // Their key addressing our workspace is refused before anything is read.
        using var crossing = V1Client(await MintKeyAsync(tenant.UserId, "functions.read"), TestServer.DefaultWorkspace);
        Assert.That((int)(await crossing.GetAsync($"{Route}/ours")).StatusCode, Is.AnyOf(401, 404));

        var kept = await ReadJsonAsync(await mine.GetAsync($"{Route}/ours"), HttpStatusCode.OK);
        Assert.That(kept["value"]!.GetValue<string>(), Is.EqualTo("v"));
    }

    [Test]
    public async Task AReadOnlyKey_ShouldListButNotWrite()
    {
        var tenant = await CreateTenantAsync();
        tenant.Client.Dispose();
        using var reader = V1Client(await MintKeyAsync(tenant.UserId, "functions.read"), tenant.WorkspaceId);
        await ReadJsonAsync(await reader.GetAsync(Route), HttpStatusCode.OK);
        await AssertAppwriteErrorAsync(await SendAsync(reader, HttpMethod.Post, Route, """{"key":"K","value":"v"}"""), HttpStatusCode.Forbidden, "general_unauthorized_scope");
    }

    [Test]
    public async Task Values_ShouldBeEncryptedAtRest()
    {
        using var client = V1Client();
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, Route, """{"variableId":"atrest","key":"P","value":"visible-value-123","secret":false}"""), HttpStatusCode.Created);

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(TestServer.DataDirectory, "functions.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Value FROM workspace_variables WHERE Id = 'atrest'";
        var stored = (string)(await command.ExecuteScalarAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(stored, Does.Not.Contain("visible-value-123"));
            Assert.That(stored, Does.StartWith("dp1:"));
        });
        var read = await ReadJsonAsync(await client.GetAsync($"{Route}/atrest"), HttpStatusCode.OK);
        Assert.That(read["value"]!.GetValue<string>(), Is.EqualTo("visible-value-123"));
    }

    [Test]
    public async Task FunctionsShouldSeeThem_UnderTheirOwn_AndAChangeShouldReachTheVeryNextExecution()
    {
        var fn = await FunctionReadingEnvironmentAsync();
        using var client = V1Client();

        async Task<(string? Shared, string? Both)> SeenAsync()
        {
            var answer = await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/functions/{fn}/invoke", new { }), HttpStatusCode.OK);
            Assert.That(answer["ok"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
            return (answer["result"]!["shared"]?.GetValue<string>(), answer["result"]!["both"]?.GetValue<string>());
        }

        Assert.That(await SeenAsync(), Is.EqualTo(((string?)null, (string?)null)));
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, Route, """{"variableId":"s","key":"SHARED","value":"from-project"}"""), HttpStatusCode.Created);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, Route, """{"variableId":"b","key":"BOTH","value":"project-value"}"""), HttpStatusCode.Created);
        Assert.That(await SeenAsync(), Is.EqualTo(("from-project", "project-value")));

        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"key":"BOTH","value":"function-value"}"""), HttpStatusCode.Created);
        Assert.That(await SeenAsync(), Is.EqualTo(("from-project", "function-value")), "the function's own variable wins");

        await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"{Route}/s", """{"value":"changed"}"""), HttpStatusCode.OK);
        Assert.That((await SeenAsync()).Shared, Is.EqualTo("changed"));
        await SendAsync(client, HttpMethod.Delete, $"{Route}/s", "{}");
        Assert.That((await SeenAsync()).Shared, Is.Null);
    }

    [Test]
    public async Task AnotherWorkspacesFunctions_ShouldNotSeeThem()
    {
        var tenant = await CreateTenantAsync();
        var theirFunction = await FunctionReadingEnvironmentAsync(tenant.WorkspaceId);
        using var client = V1Client();
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, Route, """{"key":"SHARED","value":"only-ours"}"""), HttpStatusCode.Created);

        var answer = await ReadJsonAsync(await tenant.Client.PostAsJsonAsync($"/api/functions/{theirFunction}/invoke", new { }), HttpStatusCode.OK);
        tenant.Client.Dispose();
        Assert.That(answer["result"]!["shared"], Is.Null, answer.ToJsonString());
    }

    private async Task<string> FunctionReadingEnvironmentAsync(string workspaceId = TestServer.DefaultWorkspace)
    {
        var function = await CreateFunctionAsync("env-reader", workspaceId);
        var version = function["defaultVersionId"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{version}/files", new
        {
            files = new[] { new { path = "index.js", content = "module.exports = async ({ res }) => res.json({ shared: process.env.SHARED ?? null, both: process.env.BOTH ?? null });" } },
        }), HttpStatusCode.OK);
        return function["id"]!.GetValue<string>();
    }
}
