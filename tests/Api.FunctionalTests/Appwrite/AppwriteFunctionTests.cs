using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>POST/GET/PUT/DELETE /v1/functions: every field, Appwrite's update semantics, each parameter rule.</summary>
public sealed partial class AppwriteFunctionTests : AppwriteTestBase
{
    [Test]
    public async Task Create_WithEveryField_ShouldStoreAndReadBackEachOne()
    {
        using var client = V1Client();
        var created = await CreateV1FunctionAsync(client, "my-fn.1", """
            ,"execute":["any","user:u1","team:t1/owner","users/verified"],"events":["users.*.create"],"schedule":"*/5 * * * *",
            "timeout":30,"enabled":"false","logging":0,"entrypoint":"src/index.js","commands":"npm install","scopes":["users.read"],
            "installationId":"inst","providerRepositoryId":"repo","providerBranch":"main","providerRootDirectory":"fn",
            "providerSilentMode":true,"providerBranches":["main"],"providerPaths":["src/**"],
            "buildSpecification":"s-0.5vcpu-512mb","runtimeSpecification":"s-1vcpu-512mb","deploymentRetention":7,
            "templateRepository":"ignored","x-future-field":{"nested":true}
            """);
        var read = await ReadJsonAsync(await client.GetAsync("/v1/functions/my-fn.1"), HttpStatusCode.OK);

        foreach (var model in new[] { created, read })
        {
            Assert.Multiple(() =>
            {
                Assert.That(model["$id"]!.GetValue<string>(), Is.EqualTo("my-fn.1"));
                Assert.That(model["execute"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { "any", "user:u1", "team:t1/owner", "users/verified" }));
                Assert.That(model["events"]![0]!.GetValue<string>(), Is.EqualTo("users.*.create"));
                Assert.That(model["schedule"]!.GetValue<string>(), Is.EqualTo("*/5 * * * *"));
                Assert.That(model["timeout"]!.GetValue<int>(), Is.EqualTo(30));
                Assert.That(model["enabled"]!.GetValue<bool>(), Is.False);
                Assert.That(model["logging"]!.GetValue<bool>(), Is.False);
                Assert.That(model["entrypoint"]!.GetValue<string>(), Is.EqualTo("src/index.js"));
                Assert.That(model["commands"]!.GetValue<string>(), Is.EqualTo("npm install"));
                Assert.That(model["scopes"]![0]!.GetValue<string>(), Is.EqualTo("users.read"));
                Assert.That(model["installationId"]!.GetValue<string>(), Is.EqualTo("inst"));
                Assert.That(model["providerRepositoryId"]!.GetValue<string>(), Is.EqualTo("repo"));
                Assert.That(model["providerBranch"]!.GetValue<string>(), Is.EqualTo("main"));
                Assert.That(model["providerRootDirectory"]!.GetValue<string>(), Is.EqualTo("fn"));
                Assert.That(model["providerSilentMode"]!.GetValue<bool>(), Is.True);
                Assert.That(model["providerBranches"]![0]!.GetValue<string>(), Is.EqualTo("main"));
                Assert.That(model["providerPaths"]![0]!.GetValue<string>(), Is.EqualTo("src/**"));
                Assert.That(model["buildSpecification"]!.GetValue<string>(), Is.EqualTo("s-0.5vcpu-512mb"));
                Assert.That(model["runtimeSpecification"]!.GetValue<string>(), Is.EqualTo("s-1vcpu-512mb"));
                Assert.That(model["deploymentRetention"]!.GetValue<int>(), Is.EqualTo(7));
                Assert.That(model["version"]!.GetValue<string>(), Is.EqualTo("v5"));
                Assert.That(model["deploymentId"]!.GetValue<string>(), Is.Empty);
                Assert.That(model["latestDeploymentCreatedAt"]!.GetValue<string>(), Is.Empty);
                Assert.That(model["vars"]!.AsArray(), Is.Empty);
                Assert.That(AppwriteDate().IsMatch(model["$createdAt"]!.GetValue<string>()), Is.True, model["$createdAt"]!.ToJsonString());
            });
        }
    }

    [Test]
    public async Task Create_Unique_ShouldGeneratePrefixedIdAndAppwriteDefaults()
    {
        using var client = V1Client();
        var created = await CreateV1FunctionAsync(client);
        Assert.Multiple(() =>
        {
            Assert.That(created["$id"]!.GetValue<string>(), Does.StartWith("fun_"));
            Assert.That(created["timeout"]!.GetValue<int>(), Is.EqualTo(15));
            Assert.That(created["enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(created["logging"]!.GetValue<bool>(), Is.True);
            Assert.That(created["execute"]!.AsArray(), Is.Empty);
            Assert.That(created["schedule"]!.GetValue<string>(), Is.Empty);
            Assert.That(created["entrypoint"]!.GetValue<string>(), Is.Empty);
        });
    }

    [Test]
    public async Task Create_ShouldBeVisibleOnTheManagementApi()
    {
        using var client = V1Client();
        var id = (await CreateV1FunctionAsync(client))["$id"]!.GetValue<string>();
        var fromApi = await ReadJsonAsync(await Admin.GetAsync($"/api/functions/{id}"), HttpStatusCode.OK);
        Assert.That(fromApi["workspaceId"]!.GetValue<string>(), Is.EqualTo(TestServer.DefaultWorkspace));
    }

    [Test]
    public async Task Create_DuplicateId_ShouldBe409()
    {
        using var client = V1Client();
        await CreateV1FunctionAsync(client, "dup");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions", $$"""{"functionId":"dup","name":"n","runtime":"{{await NodeRuntimeAsync(client)}}"}"""),
            HttpStatusCode.Conflict, "function_already_exists");
    }

    [TestCase("""{"name":"n","runtime":"node-20"}""", "functionId", TestName = "Create_MissingFunctionId_ShouldBe400")]
    [TestCase("""{"functionId":"a23456789012345678901234567890123456x","name":"n","runtime":"node-20"}""", "functionId", TestName = "Create_IdLongerThan36_ShouldBe400")]
    [TestCase("""{"functionId":"has space","name":"n","runtime":"node-20"}""", "functionId", TestName = "Create_IdWithForbiddenCharacter_ShouldBe400")]
    [TestCase("""{"functionId":"-dash","name":"n","runtime":"node-20"}""", "functionId", TestName = "Create_IdStartingWithSpecialCharacter_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","runtime":"node-20"}""", "name", TestName = "Create_MissingName_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"NAME129","runtime":"node-20"}""", "name", TestName = "Create_NameLongerThan128_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n"}""", "runtime", TestName = "Create_MissingRuntime_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","timeout":0}""", "timeout", TestName = "Create_TimeoutZero_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","timeout":901}""", "timeout", TestName = "Create_TimeoutOver900_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","execute":ROLES101}""", "execute", TestName = "Create_Over100Roles_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","execute":["user:ROLE65"]}""", "execute", TestName = "Create_RoleLongerThan64_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","execute":["*"]}""", "execute", TestName = "Create_WildcardRole_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","execute":["admins"]}""", "execute", TestName = "Create_UnknownRole_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","events":EVENTS101}""", "events", TestName = "Create_Over100Events_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","events":["functions.*.create"]}""", "events", TestName = "Create_FunctionEvent_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","schedule":"every minute"}""", "schedule", TestName = "Create_CronThatDoesNotParse_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","schedule":"61 * * * *"}""", "schedule", TestName = "Create_CronOutOfRange_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","runtimeSpecification":"s-64vcpu-1tb"}""", "runtimeSpecification", TestName = "Create_SpecificationTheHostCannotHonour_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","specification":"huge"}""", "specification", TestName = "Create_UnknownSingleSpecification_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","entrypoint":"../escape.js"}""", "entrypoint", TestName = "Create_EntrypointOutsideTheCode_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","scopes":["not a scope"]}""", "scopes", TestName = "Create_MalformedScope_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","deploymentRetention":-1}""", "deploymentRetention", TestName = "Create_NegativeRetention_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","providerRepositoryId":"r"}""", "providerRepositoryId", TestName = "Create_RepositoryWithoutInstallation_ShouldBe400")]
    [TestCase("""{"functionId":"unique()","name":"n","runtime":"node-20","enabled":"maybe"}""", "enabled", TestName = "Create_BooleanInNoLooseForm_ShouldBe400")]
    public async Task Create_BadInput_ShouldBeArgumentInvalidNamingTheField(string json, string field)
    {
        using var client = V1Client();
        var runtime = await NodeRuntimeAsync(client);
        json = json.Replace("node-20", runtime)
            .Replace("NAME129", new string('n', 129))
            .Replace("ROLE65", new string('r', 60))
            .Replace("ROLES101", "[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"user:u{i}\"")) + "]")
            .Replace("EVENTS101", "[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"users.u{i}.create\"")) + "]");

        var message = await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions", json), HttpStatusCode.BadRequest, "general_argument_invalid");

        Assert.That(message, Does.Contain(field));
        var list = await ReadJsonAsync(await Admin.GetAsync("/api/functions"), HttpStatusCode.OK);
        Assert.That(list["data"]!.AsArray(), Is.Empty, "nothing half-made is stored");
    }

    [Test]
    public async Task Create_RuntimeTheHostLacks_ShouldBeRuntimeUnsupported()
    {
        using var client = V1Client();
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions", """{"functionId":"unique()","name":"n","runtime":"dart-3.5"}"""),
            HttpStatusCode.NotFound, "function_runtime_unsupported");
    }

    [Test]
    public async Task Create_CliSingleSpecification_ShouldSetBoth()
    {
        using var client = V1Client();
        var created = await CreateV1FunctionAsync(client, extra: ""","specification":"s-0.5vcpu-512mb" """);
        Assert.Multiple(() =>
        {
            Assert.That(created["buildSpecification"]!.GetValue<string>(), Is.EqualTo("s-0.5vcpu-512mb"));
            Assert.That(created["runtimeSpecification"]!.GetValue<string>(), Is.EqualTo("s-0.5vcpu-512mb"));
        });
    }

    [Test]
    public async Task Update_ShouldReplaceSettingsAndKeepWhatAppwriteKeeps()
    {
        using var client = V1Client();
        var id = (await CreateV1FunctionAsync(client, extra: """
            ,"execute":["any"],"schedule":"0 * * * *","timeout":60,"enabled":false,"entrypoint":"main.js","commands":"make",
            "providerBranches":["main"],"runtimeSpecification":"s-0.5vcpu-512mb","buildSpecification":"s-0.5vcpu-512mb"
            """))["$id"]!.GetValue<string>();

        var updated = await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{id}", """{"name":"renamed","runtime":""}"""), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(updated["name"]!.GetValue<string>(), Is.EqualTo("renamed"));
            Assert.That(updated["runtime"]!.GetValue<string>(), Does.StartWith("node-"), "an empty runtime keeps the current one");
            Assert.That(updated["entrypoint"]!.GetValue<string>(), Is.EqualTo("main.js"), "an omitted entrypoint is kept");
            Assert.That(updated["execute"]!.AsArray(), Is.Empty);
            Assert.That(updated["schedule"]!.GetValue<string>(), Is.Empty);
            Assert.That(updated["timeout"]!.GetValue<int>(), Is.EqualTo(15));
            Assert.That(updated["enabled"]!.GetValue<bool>(), Is.True);
            Assert.That(updated["commands"]!.GetValue<string>(), Is.Empty);
            Assert.That(updated["providerBranches"]![0]!.GetValue<string>(), Is.EqualTo("main"), "omitted branch filters are kept");
            Assert.That(updated["runtimeSpecification"]!.GetValue<string>(), Is.EqualTo("s-0.5vcpu-512mb"), "an omitted specification is kept");
            Assert.That(updated["live"]!.GetValue<bool>(), Is.False, "a name change needs a redeploy in Appwrite's terms");
        });
    }

    [Test]
    public async Task Update_MissingName_ShouldBe400AndChangeNothing()
    {
        using var client = V1Client();
        var id = (await CreateV1FunctionAsync(client, extra: ""","timeout":60"""))["$id"]!.GetValue<string>();
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{id}", """{"timeout":5}"""), HttpStatusCode.BadRequest, "general_argument_invalid");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{id}", """{"name":"n","timeout":1000}"""), HttpStatusCode.BadRequest, "general_argument_invalid");
        var read = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{id}"), HttpStatusCode.OK);
        Assert.That(read["timeout"]!.GetValue<int>(), Is.EqualTo(60));
    }

    [Test]
    public async Task Delete_ShouldRemoveTheFunctionAndItsVariables_AndTolerateABody()
    {
        using var client = V1Client();
        var id = (await CreateV1FunctionAsync(client))["$id"]!.GetValue<string>();
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{id}/variables", """{"key":"K","value":"V"}"""), HttpStatusCode.Created);

        var deleted = await SendAsync(client, HttpMethod.Delete, $"/v1/functions/{id}", "{}");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await deleted.Content.ReadAsStringAsync(), Is.Empty);
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/{id}"), HttpStatusCode.NotFound, "function_not_found");
        await ReadJsonAsync(await Admin.GetAsync($"/api/functions/{id}"), HttpStatusCode.NotFound);
        await using var scope = TestServer.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FunctionsPlatform.Infrastructure.Persistence.AppDbContext>();
        Assert.That(db.Set<FunctionsPlatform.Domain.Variables.Variable>().Count(v => v.FunctionId == id), Is.Zero);
    }

    [Test]
    public async Task Missing_ShouldBeFunctionNotFoundOnEveryRoute()
    {
        using var client = V1Client();
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions/nope"), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Put, "/v1/functions/nope", """{"name":"x"}"""), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Delete, "/v1/functions/nope", "{}"), HttpStatusCode.NotFound, "function_not_found");
    }

    [Test]
    public async Task AnotherWorkspacesFunction_ShouldBeFunctionNotFound()
    {
        var a = await CreateTenantAsync();
        a.Client.Dispose();
        var b = await CreateTenantAsync();
        b.Client.Dispose();
        using var aClient = V1Client(await KeyAsync(a.UserId), a.WorkspaceId);
        using var bClient = V1Client(await KeyAsync(b.UserId), b.WorkspaceId);
        using var bAddressingA = V1Client(await KeyAsync(b.UserId), a.WorkspaceId);
        var id = (await CreateV1FunctionAsync(aClient))["$id"]!.GetValue<string>();

        await AssertAppwriteErrorAsync(await bClient.GetAsync($"/v1/functions/{id}"), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(bClient, HttpMethod.Put, $"/v1/functions/{id}", """{"name":"stolen"}"""), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(bClient, HttpMethod.Delete, $"/v1/functions/{id}", "{}"), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await bClient.GetAsync($"/v1/functions/{id}/variables"), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await bAddressingA.GetAsync($"/v1/functions/{id}"), HttpStatusCode.NotFound, "project_not_found");

        // The admin's own workspace does not reach it either: the project header scopes the lookup.
        using var admin = V1Client();
        await AssertAppwriteErrorAsync(await admin.GetAsync($"/v1/functions/{id}"), HttpStatusCode.NotFound, "function_not_found");
        var still = await ReadJsonAsync(await aClient.GetAsync($"/v1/functions/{id}"), HttpStatusCode.OK);
        Assert.That(still["name"]!.GetValue<string>(), Is.EqualTo("fn"));
    }

    private async Task<string> KeyAsync(string userId)
    {
        var key = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/api-keys", new
        {
            name = "v1",
            scopes = new[] { "functions.read", "functions.write", "executions.read", "executions.write" },
            userId,
        }), HttpStatusCode.Created);
        return key["token"]!.GetValue<string>();
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$")]
    private static partial Regex AppwriteDate();
}
