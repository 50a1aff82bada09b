using System.Net;
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
