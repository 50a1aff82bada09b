using System.Net;
using System.Net.Http.Json;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Functions;

public sealed class FunctionProcessConcurrencyTests : FunctionalTestBase
{
    [Test]
    public async Task CreateAndPatch_ShouldStoreProcessConcurrency_AndInvokeRunsOnIt()
    {
        var created = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/functions", new { workspaceId = "default", name = "shared", processConcurrency = 4 }), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{created["defaultVersionId"]!.GetValue<string>()}/files",
            new { files = new[] { new { path = "index.js", content = "module.exports = async ({ res }) => res.json({ pid: process.pid });" } } }), HttpStatusCode.OK);

        var patched = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/functions/{id}", """{"processConcurrency":8}"""), HttpStatusCode.OK);
        var read = await ReadJsonAsync(await Admin.GetAsync($"/api/functions/{id}"), HttpStatusCode.OK);
        var invoked = await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/functions/{id}/invoke", new { args = new { } }), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(created["processConcurrency"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(patched["processConcurrency"]!.GetValue<int>(), Is.EqualTo(8));
            Assert.That(read["processConcurrency"]!.GetValue<int>(), Is.EqualTo(8));
            Assert.That(invoked["ok"]!.GetValue<bool>(), Is.True, invoked.ToJsonString());
        });
    }

    [Test]
    public async Task Create_WithoutIt_ShouldServeOneRequestPerProcess()
    {
        var created = await CreateFunctionAsync("single");

        Assert.That(created["processConcurrency"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [TestCase("""{"workspaceId":"default","name":"x","processConcurrency":0}""")]
    [TestCase("""{"workspaceId":"default","name":"x","processConcurrency":65}""")]
    [TestCase("""{"workspaceId":"default","name":"x","processConcurrency":"four"}""")]
    public async Task Create_WithBadProcessConcurrency_ShouldBe400NamingIt(string body)
    {
        var problem = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/functions", body), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("processConcurrency"));
    }

    [TestCase("""{"processConcurrency":0}""")]
    [TestCase("""{"processConcurrency":null}""")]
    [TestCase("""{"processConcurrency":1.5}""")]
    public async Task Patch_WithBadProcessConcurrency_ShouldBe400NamingIt(string body)
    {
        var id = (await CreateFunctionAsync("patched"))["id"]!.GetValue<string>();

        var problem = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/functions/{id}", body), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain("processConcurrency"));
        var read = await ReadJsonAsync(await Admin.GetAsync($"/api/functions/{id}"), HttpStatusCode.OK);
        Assert.That(read["processConcurrency"]!.GetValue<int>(), Is.EqualTo(1));
    }
}
