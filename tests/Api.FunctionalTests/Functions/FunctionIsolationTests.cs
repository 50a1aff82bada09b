using System.Net;
using System.Net.Http.Json;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Functions;

/// <summary>A resource in a workspace the caller is not a member of is a 404, exactly as if it did not exist.</summary>
public sealed class FunctionIsolationTests : FunctionalTestBase
{
    [Test]
    public async Task OtherTenant_ShouldNotReadChangeOrDeleteTheFunction()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var b = await CreateTenantAsync();
        using var bClient = b.Client;
        var id = (await CreateFunctionAsync("a-fn", a.WorkspaceId, aClient))["id"]!.GetValue<string>();

        await ReadJsonAsync(await bClient.GetAsync($"/api/functions/{id}"), HttpStatusCode.NotFound);
        await ReadJsonAsync(await SendJsonAsync(bClient, HttpMethod.Patch, $"/api/functions/{id}", """{"name":"stolen"}"""), HttpStatusCode.NotFound);
        await ReadJsonAsync(await bClient.DeleteAsync($"/api/functions/{id}"), HttpStatusCode.NotFound);
        await ReadJsonAsync(await bClient.PostAsync($"/api/functions/{id}/restore", null), HttpStatusCode.NotFound);
        await ReadJsonAsync(await bClient.DeleteAsync($"/api/functions/{id}/purge"), HttpStatusCode.NotFound);

        var still = await ReadJsonAsync(await aClient.GetAsync($"/api/functions/{id}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(still["name"]!.GetValue<string>(), Is.EqualTo("a-fn"));
            Assert.That(still["deletedAt"], Is.Null);
        });
    }

    [Test]
    public async Task OtherTenantsList_ShouldNotShowTheFunction()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var b = await CreateTenantAsync();
        using var bClient = b.Client;
        var id = (await CreateFunctionAsync("a-fn", a.WorkspaceId, aClient))["id"]!.GetValue<string>();
        await CreateFunctionAsync("b-fn", b.WorkspaceId, bClient);

        var bList = await ReadJsonAsync(await bClient.GetAsync("/api/functions"), HttpStatusCode.OK);
        var bNarrow = await ReadJsonAsync(await bClient.GetAsync($"/api/functions?workspace_id={a.WorkspaceId}"), HttpStatusCode.OK);
        var aList = await ReadJsonAsync(await aClient.GetAsync("/api/functions"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(bList["data"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()), Does.Not.Contain(id));
            Assert.That(bList["data"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()), Does.Contain("b-fn"));
            Assert.That(bNarrow["data"]!.AsArray(), Is.Empty);
            Assert.That(aList["data"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()), Does.Contain(id));
        });
    }

    [Test]
    public async Task CreatingInAnotherTenantsWorkspace_ShouldBe404()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var b = await CreateTenantAsync();
        using var bClient = b.Client;

        await ReadJsonAsync(await bClient.PostAsJsonAsync("/api/functions", new { workspaceId = a.WorkspaceId, name = "intrude" }), HttpStatusCode.NotFound);
        await ReadJsonAsync(await bClient.PostAsJsonAsync("/api/functions", new { workspaceId = "no-such-workspace", name = "nowhere" }), HttpStatusCode.NotFound);

        var aList = await ReadJsonAsync(await aClient.GetAsync("/api/functions"), HttpStatusCode.OK);
        Assert.That(aList["data"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()), Does.Not.Contain("intrude"));
    }

    [Test]
    public async Task AdminSeesEveryTenantsFunction()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var id = (await CreateFunctionAsync("a-fn", a.WorkspaceId, aClient))["id"]!.GetValue<string>();

        await ReadJsonAsync(await Admin.GetAsync($"/api/functions/{id}"), HttpStatusCode.OK);
    }
}
