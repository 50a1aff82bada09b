using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Functions;

/// <summary>
/// <c>pageInfo.total</c>: unfiltered lists read the maintained per-workspace counts, filtered ones count (exactly
/// below the cap, or all with <c>total=exact</c>); either way only the caller's workspaces are counted.
/// </summary>
public sealed class FunctionListTotalTests : FunctionalTestBase
{
    [Test]
    public async Task Total_ShouldCountOnlyTheCallersLiveFunctions_ByEveryPath()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var b = await CreateTenantAsync();
        using var bClient = b.Client;
        var doomed = (await CreateFunctionAsync("a-1", a.WorkspaceId, aClient))["id"]!.GetValue<string>();
        await CreateFunctionAsync("a-2", a.WorkspaceId, aClient);
        await CreateFunctionAsync("a-3", a.WorkspaceId, aClient);
        await CreateFunctionAsync("b-1", b.WorkspaceId, bClient);
        await CreateFunctionAsync("b-2", b.WorkspaceId, bClient);
        await ReadJsonAsync(await aClient.DeleteAsync($"/api/functions/{doomed}"), HttpStatusCode.OK);

        var filter = Uri.EscapeDataString("""{"name":{"startsWith":"a-"}}""");
        var unfiltered = await PageInfoAsync(aClient, "/api/functions?limit=1");
        var oneWorkspace = await PageInfoAsync(aClient, $"/api/functions?limit=1&workspace_id={a.WorkspaceId}");
        var filtered = await PageInfoAsync(aClient, $"/api/functions?limit=1&filter={filter}");
        var exact = await PageInfoAsync(aClient, $"/api/functions?limit=1&filter={filter}&total=exact");
        var withDeleted = await PageInfoAsync(aClient, "/api/functions?limit=1&include_deleted=true");
        var other = await PageInfoAsync(bClient, "/api/functions?limit=1");
        var otherFiltered = await PageInfoAsync(bClient, $"/api/functions?limit=1&filter={filter}");

        Assert.Multiple(() =>
        {
            Assert.That(Total(unfiltered), Is.EqualTo((2L, true)), "counter: a-2, a-3 (a-1 is deleted)");
            Assert.That(Total(oneWorkspace), Is.EqualTo((2L, true)));
            Assert.That(Total(filtered), Is.EqualTo((2L, true)), "bounded count below the cap is exact");
            Assert.That(Total(exact), Is.EqualTo((2L, true)));
            Assert.That(Total(withDeleted), Is.EqualTo((3L, true)));
            Assert.That(Total(other), Is.EqualTo((2L, true)), "the other tenant's count holds only its own");
            Assert.That(Total(otherFiltered), Is.EqualTo((0L, true)));
        });

        await ReadJsonAsync(await aClient.PostAsync($"/api/functions/{doomed}/restore", null), HttpStatusCode.OK);
        Assert.That(Total(await PageInfoAsync(aClient, "/api/functions?limit=1")), Is.EqualTo((3L, true)), "restore counts again");
    }

    [Test]
    public async Task TenantList_WithSystemFunctionsElsewhere_ShouldMergeThemInOrderAcrossPages()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await CreateFunctionAsync($"own-{i}", a.WorkspaceId, aClient);
            var system = await Admin.PostAsJsonAsync("/api/functions", new { workspaceId = TestServer.DefaultWorkspace, name = $"sys-{i}", source = "system" });
            await ReadJsonAsync(system, HttpStatusCode.Created);
            names.InsertRange(0, [$"sys-{i}", $"own-{i}"]);
        }

        await CreateFunctionAsync("someone-elses", TestServer.DefaultWorkspace);

        // Newest first across both parts (createdAt desc, id desc), two at a time, forward then back.
        var seen = new List<string>();
        string? after = null;
        JsonNode info;
        do
        {
            var page = await ReadJsonAsync(await aClient.GetAsync("/api/functions?limit=2" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after))), HttpStatusCode.OK);
            seen.AddRange(page["data"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
            info = page["pageInfo"]!;
            Assert.That(Total(info), Is.EqualTo((6L, true)), "three own + three system functions, from the counts");
            after = info["endCursor"]?.GetValue<string>();
        }
        while (info["hasNextPage"]!.GetValue<bool>());

        var back = await ReadJsonAsync(await aClient.GetAsync("/api/functions?limit=2&before=" + Uri.EscapeDataString(info["startCursor"]!.GetValue<string>())), HttpStatusCode.OK);
        var filter = Uri.EscapeDataString("""{"name":{"startsWith":"s"}}""");
        var filtered = await ReadJsonAsync(await aClient.GetAsync($"/api/functions?limit=1&filter={filter}"), HttpStatusCode.OK);
        var exact = await ReadJsonAsync(await aClient.GetAsync($"/api/functions?limit=1&filter={filter}&total=exact"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(names));
            Assert.That(back["data"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()), Is.EqualTo(names.Skip(2).Take(2)));
            Assert.That(back["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>(), Is.True);
            Assert.That(Total(filtered["pageInfo"]!), Is.EqualTo((3L, true)), "the system functions only; someone-elses is not visible");
            Assert.That(Total(exact["pageInfo"]!), Is.EqualTo((3L, true)));
        });
    }

    [Test]
    public async Task RelationFilter_ShouldNotMatchASoftDeletedVersion_UnlessDeletedRowsAreAskedFor()
    {
        var a = await CreateTenantAsync();
        using var aClient = a.Client;
        var functionId = (await CreateFunctionAsync("has-old", a.WorkspaceId, aClient))["id"]!.GetValue<string>();
        var old = (await ReadJsonAsync(await aClient.PostAsJsonAsync("/api/function-versions", new { functionId, name = "old" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        await ReadJsonAsync(await aClient.DeleteAsync($"/api/function-versions/{old}"), HttpStatusCode.OK);

        var filter = Uri.EscapeDataString("""{"versions":{"some":{"name":"old"}}}""");
        var active = await ReadJsonAsync(await aClient.GetAsync($"/api/functions?filter={filter}"), HttpStatusCode.OK);
        var all = await ReadJsonAsync(await aClient.GetAsync($"/api/functions?filter={filter}&include_deleted=true"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(active["data"]!.AsArray(), Is.Empty, "the only 'old' version is deleted");
            Assert.That(all["data"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()), Is.EqualTo(new[] { functionId }));
        });
    }

    [TestCase("bogus")]
    [TestCase("EXACT")]
    [TestCase("")]
    public async Task Total_WhenNotCappedOrExact_ShouldBe400NamingIt(string value)
    {
        var problem = await ReadJsonAsync(await Admin.GetAsync($"/api/functions?total={value}"), HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["total"], Is.Not.Null);
    }

    [Test]
    public async Task Total_WhenGivenTwice_ShouldBe400()
    {
        var problem = await ReadJsonAsync(await Admin.GetAsync("/api/function-versions?total=exact&total=capped"), HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["total"], Is.Not.Null);
    }

    private static async Task<JsonNode> PageInfoAsync(HttpClient client, string url) =>
        (await ReadJsonAsync(await client.GetAsync(url), HttpStatusCode.OK))["pageInfo"]!;

    private static (long Total, bool Exact) Total(JsonNode pageInfo) =>
        (pageInfo["total"]!.GetValue<long>(), pageInfo["totalExact"]!.GetValue<bool>());
}
