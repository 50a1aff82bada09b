using System.Net;
using System.Net.Http.Json;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using FunctionsPlatform.Api.FunctionalTests;

namespace FunctionsPlatform.Api.FunctionalTests.Functions;

public sealed class FunctionEndpointsTests : FunctionalTestBase
{
    [Test]
    public async Task Create_ShouldReturnFunctionWithDefaultVersionAndNullDescription()
    {
        var function = await CreateFunctionAsync("hello");

        Assert.Multiple(() =>
        {
            Assert.That(function["id"]!.GetValue<string>(), Does.Match("^fun_[0-9a-z]{26}$"));
            Assert.That(function["defaultVersionId"]!.GetValue<string>(), Does.StartWith("funver_"));
            Assert.That(function["description"], Is.Null);
            Assert.That(function["source"]!.GetValue<string>(), Is.EqualTo("custom"));
            Assert.That(function["createdAt"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
        });
    }

    [Test]
    public async Task Get_WhenSoftDeleted_ShouldStillReadWithDeletedAt()
    {
        var id = (await CreateFunctionAsync())["id"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.DeleteAsync($"/api/functions/{id}"), HttpStatusCode.OK);

        var function = await ReadJsonAsync(await Admin.GetAsync($"/api/functions/{id}"), HttpStatusCode.OK);

        Assert.That(function["deletedAt"], Is.Not.Null);
    }

    [Test]
    public async Task Patch_WhenSoftDeleted_ShouldConflict()
    {
        var id = (await CreateFunctionAsync())["id"]!.GetValue<string>();
        await Admin.DeleteAsync($"/api/functions/{id}");

        var response = await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/functions/{id}", """{"name":"x"}""");

        await ReadJsonAsync(response, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Patch_ShouldChangeOnlyGivenFieldsAndNullClearsDescription()
    {
        var id = (await CreateFunctionAsync("before"))["id"]!.GetValue<string>();
        await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/functions/{id}", """{"description":"text"}"""), HttpStatusCode.OK);

        var cleared = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/functions/{id}", """{"description":null}"""), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(cleared["name"]!.GetValue<string>(), Is.EqualTo("before"));
            Assert.That(cleared["description"], Is.Null);
        });
    }

    [Test]
    public async Task Purge_WhenNotSoftDeleted_ShouldConflict_AndAfterDeleteShouldRemove()
    {
        var id = (await CreateFunctionAsync())["id"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.DeleteAsync($"/api/functions/{id}/purge"), HttpStatusCode.Conflict);

        await Admin.DeleteAsync($"/api/functions/{id}");
        await ReadJsonAsync(await Admin.DeleteAsync($"/api/functions/{id}/purge"), HttpStatusCode.OK);

        await ReadJsonAsync(await Admin.GetAsync($"/api/functions/{id}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Restore_ShouldBringBackIntoDefaultList()
    {
        var id = (await CreateFunctionAsync())["id"]!.GetValue<string>();
        await Admin.DeleteAsync($"/api/functions/{id}");
        var hidden = await ReadJsonAsync(await Admin.GetAsync("/api/functions"), HttpStatusCode.OK);
        var only = await ReadJsonAsync(await Admin.GetAsync("/api/functions?include_deleted=only"), HttpStatusCode.OK);

        await ReadJsonAsync(await Admin.PostAsync($"/api/functions/{id}/restore", null), HttpStatusCode.OK);
        var shown = await ReadJsonAsync(await Admin.GetAsync("/api/functions"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(hidden["data"]!.AsArray(), Is.Empty);
            Assert.That(only["data"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(shown["data"]!.AsArray(), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task AnyEndpoint_WithoutToken_ShouldBe401()
    {
        using var anonymous = TestServer.CreateClient(token: null);
        await ReadJsonAsync(await anonymous.GetAsync("/api/functions"), HttpStatusCode.Unauthorized);
        using var wrong = TestServer.CreateClient("fp_not_a_real_key");
        await ReadJsonAsync(await wrong.GetAsync("/api/functions"), HttpStatusCode.Unauthorized);
    }

    [TestCase("""{"workspaceId":"default","name":""}""", "name")]
    [TestCase("""{"workspaceId":"default","name":5}""", "name")]
    [TestCase("""{"workspaceId":"default","name":"x","source":"alien"}""", "source")]
    [TestCase("""{"workspaceId":"default","name":"x","runtime":"cobol-1"}""", "runtime")]
    [TestCase("""{"workspaceId":"default","name":"x","entrypoint":"../etc/passwd"}""", "entrypoint")]
    [TestCase("""{"workspaceId":"default","name":"x","inputSchemaId":"sch_missing"}""", "inputSchemaId")]
    [TestCase("""{"workspaceId":"default","name":"x","extra":1}""", "extra")]
    [TestCase("""{"workspaceId":"default","name":"x""", "name")]
    [TestCase("""{"workspaceId":"","name":"x"}""", "workspaceId")]
    public async Task Create_WithBadInput_ShouldBe400NamingTheField(string body, string field)
    {
        var response = await SendJsonAsync(Admin, HttpMethod.Post, "/api/functions", body);

        var problem = await ReadJsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(field));
        });
        var list = await ReadJsonAsync(await Admin.GetAsync("/api/functions"), HttpStatusCode.OK);
        Assert.That(list["pageInfo"]!["total"]!.GetValue<long>(), Is.Zero, "a rejected request changes nothing");
    }

    [Test]
    public async Task Create_WithNameTooLong_ShouldBe400()
    {
        var response = await Admin.PostAsJsonAsync("/api/functions", new { workspaceId = "default", name = new string('n', 129) });
        var problem = await ReadJsonAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["name"], Is.Not.Null);
    }

    [Test]
    public async Task Create_WithOversizedBody_ShouldBe413()
    {
        // Expect: 100-continue lets the server refuse before the client streams 13 MB.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/functions")
        {
            Content = new StringContent($$"""{"workspaceId":"default","name":"x","description":"{{new string('d', 13 * 1024 * 1024)}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var response = await Admin.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=101", "limit")]
    [TestCase("limit=abc", "limit")]
    [TestCase("include_deleted=maybe", "include_deleted")]
    [TestCase("source=alien", "source")]
    [TestCase("system=perhaps", "system")]
    public async Task List_WithBadParameter_ShouldBe400NamingIt(string query, string field)
    {
        var problem = await ReadJsonAsync(await Admin.GetAsync($"/api/functions?{query}"), HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]![field], Is.Not.Null);
    }

    [Test]
    public async Task Create_InUnknownWorkspace_ShouldBe404()
    {
        var response = await Admin.PostAsJsonAsync("/api/functions", new { workspaceId = "no-such-workspace", name = "x" });
        await ReadJsonAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Health_ShouldReportDatabaseAndRuntimes()
    {
        using var anonymous = TestServer.CreateClient(token: null);
        var health = await ReadJsonAsync(await anonymous.GetAsync("/health"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(health["database"]!.GetValue<string>(), Is.EqualTo("ok"));
            Assert.That(health["runtimes"]!.AsArray().Select(r => r!.GetValue<string>()), Has.Some.StartsWith("node-"));
        });
    }
}
