using System.Net;
using System.Net.Http.Json;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>/v1/functions/{id}/variables: ids, secrets, partial updates, encryption at rest, and the next execution seeing a change.</summary>
public sealed class AppwriteVariableTests : AppwriteTestBase
{
    private static async Task<string> FunctionAsync(HttpClient client) => (await CreateV1FunctionAsync(client))["$id"]!.GetValue<string>();

    [Test]
    public async Task Create_WithoutId_ShouldGenerateOneAndKeepTheSecretHidden()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);

        var created = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"key":"API_TOKEN","value":"s3cr3t"}"""), HttpStatusCode.Created);
        var id = created["$id"]!.GetValue<string>();
        var read = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/variables/{id}"), HttpStatusCode.OK);
        var list = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/variables"), HttpStatusCode.OK);
        var function = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(id, Does.StartWith("var_"));
            foreach (var model in new[] { created, read, list["variables"]![0]!, function["vars"]![0]! })
            {
                Assert.That(model["secret"]!.GetValue<bool>(), Is.True, "secret defaults to true");
                Assert.That(model["value"]!.GetValue<string>(), Is.Empty, "a secret's value never reads back");
                Assert.That(model["key"]!.GetValue<string>(), Is.EqualTo("API_TOKEN"));
                Assert.That(model["resourceType"]!.GetValue<string>(), Is.EqualTo("function"));
                Assert.That(model["resourceId"]!.GetValue<string>(), Is.EqualTo(fn));
            }

            Assert.That(list["total"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Create_WithCustomIdAndPlainValue_ShouldReadBackTheValue()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"region","key":"REGION","value":"eu","secret":"false"}"""), HttpStatusCode.Created);
        var read = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/variables/region"), HttpStatusCode.OK);
        Assert.That(read["value"]!.GetValue<string>(), Is.EqualTo("eu"));
    }

    [Test]
    public async Task Create_DuplicateKeyOrId_ShouldBe409()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"v1","key":"K","value":"1"}"""), HttpStatusCode.Created);
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"key":"K","value":"2"}"""), HttpStatusCode.Conflict, "variable_already_exists");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"v1","key":"OTHER","value":"2"}"""), HttpStatusCode.Conflict, "variable_already_exists");
    }

    [TestCase("""{"value":"v"}""", "key", TestName = "CreateVariable_MissingKey_ShouldBe400")]
    [TestCase("""{"key":"K"}""", "value", TestName = "CreateVariable_MissingValue_ShouldBe400")]
    [TestCase("""{"key":"KEY256","value":"v"}""", "key", TestName = "CreateVariable_KeyLongerThan255_ShouldBe400")]
    [TestCase("""{"key":"K","value":"VALUE8193"}""", "value", TestName = "CreateVariable_ValueLongerThan8192_ShouldBe400")]
    [TestCase("""{"variableId":".dot","key":"K","value":"v"}""", "variableId", TestName = "CreateVariable_BadId_ShouldBe400")]
    public async Task Create_BadInput_ShouldBe400(string json, string field)
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        json = json.Replace("KEY256", new string('k', 256)).Replace("VALUE8193", new string('v', 8193));
        var message = await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", json), HttpStatusCode.BadRequest, "general_argument_invalid");
        Assert.That(message, Does.Contain(field));
    }

    [Test]
    public async Task Update_ShouldBePartial_AndASecretStaysSecret()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"a","key":"A","value":"1","secret":false}"""), HttpStatusCode.Created);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"b","key":"B","value":"2"}"""), HttpStatusCode.Created);

        var renamed = await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}/variables/a", """{"key":"A2"}"""), HttpStatusCode.OK);
        var madeSecret = await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}/variables/a", """{"secret":true}"""), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(renamed["key"]!.GetValue<string>(), Is.EqualTo("A2"));
            Assert.That(renamed["value"]!.GetValue<string>(), Is.EqualTo("1"), "the omitted value is kept");
            Assert.That(madeSecret["value"]!.GetValue<string>(), Is.Empty);
        });
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}/variables/a", """{"secret":false}"""), HttpStatusCode.BadRequest, "variable_cannot_unset_secret");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}/variables/a", """{"key":"B"}"""), HttpStatusCode.Conflict, "variable_already_exists");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}/variables/a", "{}"), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task AnotherFunctionsVariable_ShouldBeVariableNotFound()
    {
        using var client = V1Client();
        var one = await FunctionAsync(client);
        var two = await FunctionAsync(client);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{one}/variables", """{"variableId":"mine","key":"K","value":"v"}"""), HttpStatusCode.Created);

        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{two}/variables/mine"), HttpStatusCode.NotFound, "variable_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{two}/variables/mine", """{"value":"x"}"""), HttpStatusCode.NotFound, "variable_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{two}/variables/mine", "{}"), HttpStatusCode.NotFound, "variable_not_found");
    }

    [Test]
    public async Task Delete_ShouldRemoveIt()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"gone","key":"K","value":"v"}"""), HttpStatusCode.Created);
        var deleted = await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{fn}/variables/gone", "{}");
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/variables/gone"), HttpStatusCode.NotFound, "variable_not_found");
    }

    [Test]
    public async Task List_ShouldRefuseQueriesAndHonourTotalFalse()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"key":"K","value":"v"}"""), HttpStatusCode.Created);
        var noTotal = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/variables?total=false"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(noTotal["total"]!.GetValue<int>(), Is.Zero);
            Assert.That(noTotal["variables"]!.AsArray(), Has.Count.EqualTo(1));
        });
        var query = Uri.EscapeDataString("""{"method":"limit","values":[1]}""");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/variables?queries[0]={query}"), HttpStatusCode.BadRequest, "general_query_invalid");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/variables?queries[]={query}"), HttpStatusCode.BadRequest, "general_query_invalid");
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{fn}/variables?queries={query}"), HttpStatusCode.BadRequest, "general_query_invalid");
    }

    [Test]
    public async Task Values_ShouldBeEncryptedAtRest()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"plain","key":"P","value":"visible-value-123","secret":false}"""), HttpStatusCode.Created);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}/variables/plain", """{"value":"changed-value-456"}"""), HttpStatusCode.OK);

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(TestServer.DataDirectory, "functions.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Value FROM variables WHERE Id = 'plain'";
        var stored = (string)(await command.ExecuteScalarAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(stored, Does.Not.Contain("changed-value-456"));
            Assert.That(stored, Does.StartWith("dp1:"));
            Assert.That(Directory.EnumerateFiles(Path.Combine(TestServer.DataDirectory, "keys"), "key-*.xml"), Is.Not.Empty);
        });
        var read = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/variables/plain"), HttpStatusCode.OK);
        Assert.That(read["value"]!.GetValue<string>(), Is.EqualTo("changed-value-456"));
    }

    [Test]
    public async Task Change_ShouldReachTheVeryNextExecution()
    {
        var function = await CreateFunctionAsync();
        var fn = function["id"]!.GetValue<string>();
        var version = function["defaultVersionId"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{version}/files", new
        {
            files = new[] { new { path = "index.js", content = "module.exports = async ({ res }) => res.json({ greeting: process.env.GREETING ?? null });" } },
        }), HttpStatusCode.OK);
        using var client = V1Client();

        async Task<string?> GreetingAsync()
        {
            var answer = await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/functions/{fn}/invoke", new { }), HttpStatusCode.OK);
            Assert.That(answer["ok"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
            return answer["result"]!["greeting"]?.GetValue<string>();
        }

        Assert.That(await GreetingAsync(), Is.Null);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/variables", """{"variableId":"g","key":"GREETING","value":"hello"}"""), HttpStatusCode.Created);
        Assert.That(await GreetingAsync(), Is.EqualTo("hello"));
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}/variables/g", """{"value":"bonjour"}"""), HttpStatusCode.OK);
        Assert.That(await GreetingAsync(), Is.EqualTo("bonjour"));
        await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{fn}/variables/g", "{}");
        Assert.That(await GreetingAsync(), Is.Null);
    }
}
