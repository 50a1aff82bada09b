using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.FunctionVersions;

public sealed class FunctionVersionEndpointsTests : FunctionalTestBase
{
    private async Task<(string FunctionId, string VersionId)> FunctionWithDefaultAsync()
    {
        var function = await CreateFunctionAsync();
        return (function["id"]!.GetValue<string>(), function["defaultVersionId"]!.GetValue<string>());
    }

    private async Task<JsonNode> PutFilesAsync(string versionId, object files, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files }), expected);

    [Test]
    public async Task FirstVersion_ShouldBeV1WithNoFiles()
    {
        var (_, versionId) = await FunctionWithDefaultAsync();
        var version = await ReadJsonAsync(await Admin.GetAsync($"/api/function-versions/{versionId}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(version["name"]!.GetValue<string>(), Is.EqualTo("v1"));
            Assert.That(version["files"]!.AsArray(), Is.Empty);
            Assert.That(version["parentId"], Is.Null);
        });
    }

    [Test]
    public async Task PutFiles_ThenFork_ShouldCopyFilesAndRecordParent()
    {
        var (_, versionId) = await FunctionWithDefaultAsync();
        var updated = await PutFilesAsync(versionId, new[] { new { path = "index.js", content = "module.exports = async (c) => c.res.json({ ok: true });" } });
        Assert.That(updated["files"]![0]!["size"]!.GetValue<int>(), Is.GreaterThan(0));

        var fork = await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/function-versions/{versionId}/fork", new { name = "v2" }), HttpStatusCode.Created);

        Assert.Multiple(() =>
        {
            Assert.That(fork["parentId"]!.GetValue<string>(), Is.EqualTo(versionId));
            Assert.That(fork["name"]!.GetValue<string>(), Is.EqualTo("v2"));
            Assert.That(fork["files"]![0]!["path"]!.GetValue<string>(), Is.EqualTo("index.js"));
        });
    }

    [Test]
    public async Task Fork_WithoutBody_ShouldUseDefaultName()
    {
        var (_, versionId) = await FunctionWithDefaultAsync();
        var fork = await ReadJsonAsync(await Admin.PostAsync($"/api/function-versions/{versionId}/fork", null), HttpStatusCode.Created);
        Assert.That(fork["name"]!.GetValue<string>(), Is.EqualTo("v1-fork"));
    }

    [Test]
    public async Task SetDefault_ShouldPointFunctionAtVersion_AndRefuseDeletedVersion()
    {
        var (functionId, versionId) = await FunctionWithDefaultAsync();
        var created = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new { functionId }), HttpStatusCode.Created);
        var newId = created["id"]!.GetValue<string>();
        Assert.That(created["name"]!.GetValue<string>(), Is.EqualTo("v2"));

        var function = await ReadJsonAsync(await Admin.PostAsync($"/api/function-versions/{newId}/set-default", null), HttpStatusCode.OK);
        Assert.That(function["defaultVersionId"]!.GetValue<string>(), Is.EqualTo(newId));

        await ReadJsonAsync(await Admin.DeleteAsync($"/api/function-versions/{versionId}"), HttpStatusCode.OK);
        await ReadJsonAsync(await Admin.PostAsync($"/api/function-versions/{versionId}/set-default", null), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Delete_OfDefaultVersion_ShouldConflict()
    {
        var (_, versionId) = await FunctionWithDefaultAsync();
        await ReadJsonAsync(await Admin.DeleteAsync($"/api/function-versions/{versionId}"), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task SoftDeleted_ShouldBeReadable_RefuseChanges_AndPurgeOnlyAfterDelete()
    {
        var (functionId, _) = await FunctionWithDefaultAsync();
        var id = (await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new { functionId, name = "extra" }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.DeleteAsync($"/api/function-versions/{id}/purge"), HttpStatusCode.Conflict);
        await ReadJsonAsync(await Admin.DeleteAsync($"/api/function-versions/{id}"), HttpStatusCode.OK);

        var read = await ReadJsonAsync(await Admin.GetAsync($"/api/function-versions/{id}"), HttpStatusCode.OK);
        Assert.That(read["deletedAt"], Is.Not.Null);
        await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/function-versions/{id}", """{"name":"n"}"""), HttpStatusCode.Conflict);
        await ReadJsonAsync(await Admin.PostAsync($"/api/function-versions/{id}/fork", null), HttpStatusCode.Conflict);

        var listed = await ReadJsonAsync(await Admin.GetAsync($"/api/function-versions?function_id={functionId}&include_deleted=only"), HttpStatusCode.OK);
        Assert.That(listed["data"]!.AsArray(), Has.Count.EqualTo(1));

        await ReadJsonAsync(await Admin.DeleteAsync($"/api/function-versions/{id}/purge"), HttpStatusCode.OK);
        await ReadJsonAsync(await Admin.GetAsync($"/api/function-versions/{id}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Restore_ShouldClearDeletedAt()
    {
        var (functionId, _) = await FunctionWithDefaultAsync();
        var id = (await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new { functionId }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        await Admin.DeleteAsync($"/api/function-versions/{id}");
        var restored = await ReadJsonAsync(await Admin.PostAsync($"/api/function-versions/{id}/restore", null), HttpStatusCode.OK);
        Assert.That(restored["deletedAt"], Is.Null);
        await ReadJsonAsync(await Admin.PostAsync($"/api/function-versions/{id}/restore", null), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Changes_OnVersionOfDeletedFunction_ShouldConflict()
    {
        var (functionId, versionId) = await FunctionWithDefaultAsync();
        await Admin.DeleteAsync($"/api/functions/{functionId}");
        await PutFilesAsync(versionId, new[] { new { path = "index.js", content = "x" } }, HttpStatusCode.Conflict);
        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new { functionId }), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task List_ShouldNarrowByFunctionAndParent()
    {
        var (functionId, versionId) = await FunctionWithDefaultAsync();
        await CreateFunctionAsync("other");
        await Admin.PostAsync($"/api/function-versions/{versionId}/fork", null);

        var ofFunction = await ReadJsonAsync(await Admin.GetAsync($"/api/function-versions?function_id={functionId}"), HttpStatusCode.OK);
        var forks = await ReadJsonAsync(await Admin.GetAsync($"/api/function-versions?parent_id={versionId}"), HttpStatusCode.OK);
        var all = await ReadJsonAsync(await Admin.GetAsync("/api/function-versions"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(ofFunction["pageInfo"]!["total"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(forks["data"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(all["pageInfo"]!["total"]!.GetValue<long>(), Is.EqualTo(3), "an admin may list every version");
        });
    }

    [TestCase("../x.js", "files[0].path")]
    [TestCase("/abs.js", "files[0].path")]
    [TestCase("a\\b.js", "files[0].path")]
    [TestCase("", "files[0].path")]
    public async Task PutFiles_WithBadPath_ShouldBe400NamingIt(string path, string field)
    {
        var (_, versionId) = await FunctionWithDefaultAsync();
        var problem = await PutFilesAsync(versionId, new[] { new { path, content = "x" } }, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]![field], Is.Not.Null, problem.ToJsonString());
        var version = await ReadJsonAsync(await Admin.GetAsync($"/api/function-versions/{versionId}"), HttpStatusCode.OK);
        Assert.That(version["files"]!.AsArray(), Is.Empty, "a rejected request changes nothing");
    }

    [TestCase("a", "a/b", TestName = "PutFiles_WithFileAndDirectoryOfTheSameName_ShouldBe400NamingTheSecond")]
    [TestCase("lib/x.js", "lib", TestName = "PutFiles_WithFileNamedLikeADirectory_ShouldBe400NamingTheSecond")]
    [TestCase("index.js", "Index.js", TestName = "PutFiles_WithPathsDifferingOnlyByCase_ShouldBe400NamingTheSecond")]
    [TestCase("a.js", "a.js", TestName = "PutFiles_WithTheSamePathTwice_ShouldBe400NamingTheSecond")]
    public async Task PutFiles_WithClashingPaths_ShouldBe400NamingTheSecond(string first, string second)
    {
        var (_, versionId) = await FunctionWithDefaultAsync();
        var problem = await PutFilesAsync(versionId, new[] { new { path = first, content = "1" }, new { path = second, content = "2" } }, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["files[1].path"]![0]!.GetValue<string>(), Does.Contain(second), problem.ToJsonString());
        var version = await ReadJsonAsync(await Admin.GetAsync($"/api/function-versions/{versionId}"), HttpStatusCode.OK);
        Assert.That(version["files"]!.AsArray(), Is.Empty, "a rejected request changes nothing");
    }

    [TestCase("./a.js")]
    [TestCase("a//b.js")]
    [TestCase("a/./b.js")]
    [TestCase("lib/")]
    [TestCase("lib\\a.js")]
    public async Task PutFiles_WithPathSpelledOtherThanCanonically_ShouldBe400NamingIt(string path)
    {
        var (_, versionId) = await FunctionWithDefaultAsync();
        var problem = await PutFilesAsync(versionId, new[] { new { path = "a.js", content = "1" }, new { path, content = "2" } }, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["files[1].path"], Is.Not.Null, problem.ToJsonString());
    }

    [Test]
    public async Task Create_WithClashingPaths_ShouldBe400NamingThePath()
    {
        var (functionId, _) = await FunctionWithDefaultAsync();
        var problem = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new
        {
            functionId,
            files = new[] { new { path = "index.js", content = "1" }, new { path = "src/a.js", content = "2" }, new { path = "src", content = "3" } },
        }), HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!["files[2].path"], Is.Not.Null, problem.ToJsonString());
    }

    [Test]
    public async Task PutFiles_WithDuplicatePathsOrMissingContent_ShouldBe400()
    {
        var (_, versionId) = await FunctionWithDefaultAsync();
        var duplicate = await PutFilesAsync(versionId, new[] { new { path = "a.js", content = "1" }, new { path = "a.js", content = "2" } }, HttpStatusCode.BadRequest);
        Assert.That(duplicate["errors"]!["files[1].path"], Is.Not.Null);
        var missing = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Put, $"/api/function-versions/{versionId}/files", """{"files":[{"path":"a.js"}]}"""), HttpStatusCode.BadRequest);
        Assert.That(missing["errors"]!["files[0].content"], Is.Not.Null, missing.ToJsonString());
        var absent = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Put, $"/api/function-versions/{versionId}/files", "{}"), HttpStatusCode.BadRequest);
        Assert.That(absent["errors"]!["files"], Is.Not.Null);
    }

    [Test]
    public async Task Create_WithBadInput_ShouldBe400OrNotFound()
    {
        var (functionId, _) = await FunctionWithDefaultAsync();
        var noFunction = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new { name = "x" }), HttpStatusCode.BadRequest);
        Assert.That(noFunction["errors"]!["functionId"], Is.Not.Null);
        var longName = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new { functionId, name = new string('v', 129) }), HttpStatusCode.BadRequest);
        Assert.That(longName["errors"]!["name"], Is.Not.Null);
        var badSchema = await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new { functionId, inputSchemaId = "sch_nope" }), HttpStatusCode.BadRequest);
        Assert.That(badSchema["errors"]!["inputSchemaId"], Is.Not.Null);
        await ReadJsonAsync(await Admin.PostAsJsonAsync("/api/function-versions", new { functionId = "fun_missing" }), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task UnknownVersion_ShouldBe404()
    {
        await ReadJsonAsync(await Admin.GetAsync("/api/function-versions/funver_missing"), HttpStatusCode.NotFound);
        await ReadJsonAsync(await Admin.PostAsync("/api/function-versions/funver_missing/fork", null), HttpStatusCode.NotFound);
    }
}
