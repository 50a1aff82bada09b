using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Schemas;

public sealed class SchemaEndpointsTests : FunctionalTestBase
{
    private const string ObjectSchema = """{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}""";

    private static void AssertFieldError(JsonNode problem, string field) =>
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field), problem.ToJsonString());

    private async Task<JsonNode> CreateSchemaAsync(string name = "input", string workspaceId = TestServer.DefaultWorkspace, HttpClient? client = null)
    {
        var body = $$"""{"workspaceId":"{{workspaceId}}","name":"{{name}}","schema":{{ObjectSchema}}}""";
        return await ReadJsonAsync(await SendJsonAsync(client ?? Admin, HttpMethod.Post, "/api/schemas", body), HttpStatusCode.Created);
    }

    [Test]
    public async Task Create_ShouldEchoTheDocumentAsObject()
    {
        var schema = await CreateSchemaAsync();

        Assert.Multiple(() =>
        {
            Assert.That(schema["id"]!.GetValue<string>(), Does.Match("^sch_[0-9a-z]{26}$"));
            Assert.That(schema["workspaceId"]!.GetValue<string>(), Is.EqualTo(TestServer.DefaultWorkspace));
            Assert.That(schema["name"]!.GetValue<string>(), Is.EqualTo("input"));
            Assert.That(JsonNode.DeepEquals(schema["schema"], JsonNode.Parse(ObjectSchema)), Is.True, schema.ToJsonString());
            Assert.That(schema["createdAt"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
            Assert.That(schema["updatedAt"]!.GetValue<string>(), Is.EqualTo(schema["createdAt"]!.GetValue<string>()));
        });
    }

    [Test]
    public async Task GetAndList_ShouldReturnIt_AndWorkspaceIdShouldNarrow()
    {
        var tenant = await CreateTenantAsync();
        using var client = tenant.Client;
        var id = (await CreateSchemaAsync("mine", tenant.WorkspaceId, client))["id"]!.GetValue<string>();
        await CreateSchemaAsync("admins");

        var got = await ReadJsonAsync(await client.GetAsync($"/api/schemas/{id}"), HttpStatusCode.OK);
        var tenantList = await ReadJsonAsync(await client.GetAsync("/api/schemas"), HttpStatusCode.OK);
        var adminAll = await ReadJsonAsync(await Admin.GetAsync("/api/schemas"), HttpStatusCode.OK);
        var adminNarrow = await ReadJsonAsync(await Admin.GetAsync($"/api/schemas?workspace_id={tenant.WorkspaceId}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(got["name"]!.GetValue<string>(), Is.EqualTo("mine"));
            Assert.That(got["schema"]!["type"]!.GetValue<string>(), Is.EqualTo("object"));
            Assert.That(tenantList["data"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));
            Assert.That(adminAll["data"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(adminAll["pageInfo"]!["total"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(adminNarrow["data"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));
        });
    }

    [Test]
    public async Task Patch_ShouldChangeNameAndDocument()
    {
        var id = (await CreateSchemaAsync("before"))["id"]!.GetValue<string>();

        var renamed = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/schemas/{id}", """{"name":"after"}"""), HttpStatusCode.OK);
        var redocumented = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/schemas/{id}", """{"schema":{"type":"string"}}"""), HttpStatusCode.OK);
        var read = await ReadJsonAsync(await Admin.GetAsync($"/api/schemas/{id}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(renamed["name"]!.GetValue<string>(), Is.EqualTo("after"));
            Assert.That(renamed["schema"]!["required"], Is.Not.Null);
            Assert.That(redocumented["name"]!.GetValue<string>(), Is.EqualTo("after"));
            Assert.That(read["schema"]!.ToJsonString(), Is.EqualTo("""{"type":"string"}"""));
        });
    }

    [Test]
    public async Task Delete_ShouldRemove()
    {
        var id = (await CreateSchemaAsync())["id"]!.GetValue<string>();

        var deleted = await ReadJsonAsync(await Admin.DeleteAsync($"/api/schemas/{id}"), HttpStatusCode.OK);

        Assert.That(deleted["success"]!.GetValue<bool>(), Is.True);
        await ReadJsonAsync(await Admin.GetAsync($"/api/schemas/{id}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Delete_WhenUsedByAFunctionVersion_ShouldConflict()
    {
        var id = (await CreateSchemaAsync())["id"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/functions", new { workspaceId = TestServer.DefaultWorkspace, name = "uses", inputSchemaId = id }), HttpStatusCode.Created);

        await ReadJsonAsync(await Admin.DeleteAsync($"/api/schemas/{id}"), HttpStatusCode.Conflict);
        await ReadJsonAsync(await Admin.GetAsync($"/api/schemas/{id}"), HttpStatusCode.OK);
    }

    [TestCase("""{"workspaceId":"default","name":"s","schema":{"type":"alien"}}""", "schema")]
    [TestCase("""{"workspaceId":"default","name":"s","schema":{"type":"object","minProperties":"many"}}""", "schema")]
    [TestCase("""{"workspaceId":"default","name":"s","schema":"{\"type\":\"object\"}"}""", "schema")]
    [TestCase("""{"workspaceId":"default","name":"s","schema":[1,2]}""", "schema")]
    [TestCase("""{"workspaceId":"default","name":"s","schema":true}""", "schema")]
    [TestCase("""{"workspaceId":"default","name":"s"}""", "schema")]
    [TestCase("""{"workspaceId":"default","name":"","schema":{}}""", "name")]
    [TestCase("""{"name":"s","schema":{}}""", "workspaceId")]
    [TestCase("""{"workspaceId":"default","name":"s","schema":{},"extra":1}""", "extra")]
    public async Task Create_WithBadInput_ShouldBe400NamingTheField(string body, string field)
    {
        var response = await SendJsonAsync(Admin, HttpMethod.Post, "/api/schemas", body);

        AssertFieldError(await ReadJsonAsync(response, HttpStatusCode.BadRequest), field);
    }

    [Test]
    public async Task Create_WithOverLongName_ShouldBe400NamingName()
    {
        var response = await Admin.PostAsJsonAsync("/api/schemas", new { workspaceId = TestServer.DefaultWorkspace, name = new string('s', 129), schema = new { } });

        AssertFieldError(await ReadJsonAsync(response, HttpStatusCode.BadRequest), "name");
    }

    [TestCase("""{"schema":{"type":"alien"}}""", "schema")]
    [TestCase("""{"schema":null}""", "schema")]
    [TestCase("""{"schema":"text"}""", "schema")]
    [TestCase("""{"name":null}""", "name")]
    [TestCase("""{"name":""}""", "name")]
    public async Task Patch_WithBadInput_ShouldBe400NamingTheField(string body, string field)
    {
        var id = (await CreateSchemaAsync())["id"]!.GetValue<string>();

        var response = await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/schemas/{id}", body);

        AssertFieldError(await ReadJsonAsync(response, HttpStatusCode.BadRequest), field);
    }

    [Test]
    public async Task OtherTenant_ShouldNotSeeOrChangeTheSchema()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var b = await CreateTenantAsync();
        using var bClient = b.Client;
        var id = (await CreateSchemaAsync("a-only", a.WorkspaceId, aClient))["id"]!.GetValue<string>();

        await ReadJsonAsync(await bClient.GetAsync($"/api/schemas/{id}"), HttpStatusCode.NotFound);
        await ReadJsonAsync(await SendJsonAsync(bClient, HttpMethod.Patch, $"/api/schemas/{id}", """{"name":"stolen"}"""), HttpStatusCode.NotFound);
        await ReadJsonAsync(await bClient.DeleteAsync($"/api/schemas/{id}"), HttpStatusCode.NotFound);
        var bList = await ReadJsonAsync(await bClient.GetAsync("/api/schemas"), HttpStatusCode.OK);
        var bNarrow = await ReadJsonAsync(await bClient.GetAsync($"/api/schemas?workspace_id={a.WorkspaceId}"), HttpStatusCode.OK);
        await ReadJsonAsync(await bClient.PostAsJsonAsync("/api/schemas", new { workspaceId = a.WorkspaceId, name = "intrude", schema = new { type = "object" } }), HttpStatusCode.NotFound);
        var still = await ReadJsonAsync(await aClient.GetAsync($"/api/schemas/{id}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(bList["data"]!.AsArray(), Is.Empty);
            Assert.That(bNarrow["data"]!.AsArray(), Is.Empty);
            Assert.That(still["name"]!.GetValue<string>(), Is.EqualTo("a-only"));
        });
    }

    [Test]
    public async Task MissingScopes_ShouldBe403_AndNoToken401()
    {
        var readOnly = await CreateTenantAsync("functions.read");
        using var readClient = readOnly.Client;
        var noScopes = await CreateTenantAsync("executions.read");
        using var noClient = noScopes.Client;
        var id = (await CreateSchemaAsync("s", readOnly.WorkspaceId))["id"]!.GetValue<string>();
        using var anonymous = TestServer.CreateClient(token: null);

        await ReadJsonAsync(await readClient.GetAsync($"/api/schemas/{id}"), HttpStatusCode.OK);
        await ReadJsonAsync(await readClient.PostAsJsonAsync("/api/schemas", new { workspaceId = readOnly.WorkspaceId, name = "w", schema = new { } }), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await SendJsonAsync(readClient, HttpMethod.Patch, $"/api/schemas/{id}", """{"name":"w"}"""), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await readClient.DeleteAsync($"/api/schemas/{id}"), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await noClient.GetAsync("/api/schemas"), HttpStatusCode.Forbidden);
        await ReadJsonAsync(await anonymous.GetAsync("/api/schemas"), HttpStatusCode.Unauthorized);
        await ReadJsonAsync(await anonymous.GetAsync($"/api/schemas/{id}"), HttpStatusCode.Unauthorized);
    }
}
