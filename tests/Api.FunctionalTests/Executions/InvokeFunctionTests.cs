using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using FunctionsPlatform.Application.Abstractions.Persistence;
using FunctionsPlatform.Domain.Schemas;
using FunctionsPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Api.FunctionalTests.Executions;

public sealed class InvokeFunctionTests : FunctionalTestBase
{
    private const string EchoCode = "module.exports = async ({ req, res, log }) => { log('called'); return res.json({ sum: req.body.a + req.body.b, env: process.env.APPWRITE_FUNCTION_ID }); };";

    private async Task<(string FunctionId, string VersionId)> FunctionWithCodeAsync(string code, string path = "index.js")
    {
        var function = await CreateFunctionAsync();
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { new { path, content = code } } }), HttpStatusCode.OK);
        return (function["id"]!.GetValue<string>(), versionId);
    }

    private async Task<JsonNode> InvokeAsync(string functionId, object body, HttpStatusCode expected = HttpStatusCode.OK, HttpClient? client = null) =>
        await ReadJsonAsync(await (client ?? Admin).PostAsJsonAsync($"/api/functions/{functionId}/invoke", body), expected);

    [Test]
    public async Task Invoke_DefaultVersion_ShouldAnswerResultAndRecordExecution()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync(EchoCode);

        var answer = await InvokeAsync(functionId, new { args = new { a = 2, b = 3 } });

        Assert.Multiple(() =>
        {
            Assert.That(answer["ok"]!.GetValue<bool>(), Is.True, answer.ToJsonString());
            Assert.That(answer["result"]!["sum"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(answer["result"]!["env"]!.GetValue<string>(), Is.EqualTo(functionId));
            Assert.That(answer["error"]!.GetValue<string>(), Is.Empty);
            Assert.That(answer["durationMs"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(0));
        });
        // Read past the API: wait for the record written behind the answer, as the API's own reads do.
        await TestServer.Services.GetRequiredService<IExecutionJournal>().WhenWrittenAsync(CancellationToken.None);
        await using var scope = TestServer.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var execution = await db.Executions.SingleAsync(e => e.FunctionId == functionId);
        Assert.That((execution.VersionId, execution.Status.ToString(), execution.Logs), Is.EqualTo((versionId, "Completed", "called\n")));
    }

    [Test]
    public async Task Invoke_NamedVersion_AndCodeChange_ShouldRunTheNewCode()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync("module.exports = async ({ res }) => res.json('one');");
        Assert.That((await InvokeAsync(functionId, new { versionId }))["result"]!.GetValue<string>(), Is.EqualTo("one"));

        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files",
            new { files = new[] { new { path = "index.js", content = "module.exports = async ({ res }) => res.json('two');" } } }), HttpStatusCode.OK);

        Assert.That((await InvokeAsync(functionId, new { versionId }))["result"]!.GetValue<string>(), Is.EqualTo("two"));
    }

    [Test]
    public async Task Invoke_FunctionVariables_ShouldReachTheCodeAndChangesShouldBeSeen()
    {
        var (functionId, _) = await FunctionWithCodeAsync("module.exports = async ({ res }) => res.json(process.env.GREETING ?? 'none');");
        await using (var scope = TestServer.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Variables.Add(Domain.Variables.Variable.Create("var_" + Guid.NewGuid().ToString("N")[..20], functionId, "GREETING", "hello", secret: true, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            // Added past the unit of work: no event evicts the variables cached when the code was saved, so evict here.
            scope.ServiceProvider.GetRequiredService<Application.Executions.FunctionSnapshotCache>().EvictFunction(functionId);
        }

        var first = await InvokeAsync(functionId, new { });
        await using (var scope = TestServer.Services.CreateAsyncScope())
        {
            // As the variables endpoints will: change the variable and tell its function, saved through the unit of
            // work so the change's domain event evicts cached snapshots and warm processes.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var variable = await db.Variables.SingleAsync(v => v.FunctionId == functionId);
            var function = await db.Functions.SingleAsync(f => f.Id == functionId);
            variable.Update(null, "bonjour", null, DateTimeOffset.UtcNow);
            function.VariablesChanged(DateTimeOffset.UtcNow);
            await scope.ServiceProvider.GetRequiredService<FunctionsPlatform.Application.Abstractions.Persistence.IUnitOfWork>().SaveChangesAsync();
        }

        var second = await InvokeAsync(functionId, new { });

        Assert.That((first["result"]!.GetValue<string>(), second["result"]!.GetValue<string>()), Is.EqualTo(("hello", "bonjour")));
    }

    [Test]
    public async Task Invoke_Throwing_ShouldAnswerNotOkWithError()
    {
        var (functionId, _) = await FunctionWithCodeAsync("module.exports = async () => { throw new Error('nope'); };");

        var answer = await InvokeAsync(functionId, new { args = new { } });

        Assert.That(answer["ok"]!.GetValue<bool>(), Is.False);
        Assert.That(answer["error"]!.GetValue<string>(), Does.Contain("nope"));
    }

    [Test]
    public async Task Invoke_ArgsAgainstInputSchema_ShouldRefuseWith400BeforeRunning()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync(EchoCode);
        var schemaId = await AddSchemaAsync("""{"type":"object","required":["a","b"],"properties":{"a":{"type":"integer"},"b":{"type":"integer"}}}""");
        await ReadJsonAsync(await Admin.PatchAsJsonAsync($"/api/function-versions/{versionId}", new { inputSchemaId = schemaId }), HttpStatusCode.OK);

        var refused = await InvokeAsync(functionId, new { args = new { a = "x" } }, HttpStatusCode.BadRequest);
        var accepted = await InvokeAsync(functionId, new { args = new { a = 1, b = 1 } });

        Assert.That(refused["errors"]!["args"], Is.Not.Null);
        Assert.That(accepted["ok"]!.GetValue<bool>(), Is.True);
        await TestServer.Services.GetRequiredService<IExecutionJournal>().WhenWrittenAsync(CancellationToken.None);
        await using var scope = TestServer.Services.CreateAsyncScope();
        Assert.That(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Executions.CountAsync(e => e.FunctionId == functionId), Is.EqualTo(1));
    }

    [Test]
    public async Task Invoke_AfterItsInputSchemaChanged_ShouldValidateAgainstTheNewDocumentAtOnce()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync(EchoCode);
        var schemaId = await AddSchemaAsync("""{"type":"object","required":["a","b"]}""");
        await ReadJsonAsync(await Admin.PatchAsJsonAsync($"/api/function-versions/{versionId}", new { inputSchemaId = schemaId }), HttpStatusCode.OK);
        Assert.That((await InvokeAsync(functionId, new { args = new { a = 1, b = 2 } }))["ok"]!.GetValue<bool>(), Is.True);

        // The document is cached for the calls that follow; saving a new one must not leave calls checked against the old.
        await ReadJsonAsync(await Admin.PatchAsJsonAsync($"/api/schemas/{schemaId}",
            new { schema = JsonNode.Parse("""{"type":"object","required":["a","b","c"]}""") }), HttpStatusCode.OK);
        var refused = await InvokeAsync(functionId, new { args = new { a = 1, b = 2 } }, HttpStatusCode.BadRequest);

        Assert.That(refused["errors"]!["args"]!.AsArray(), Is.Not.Empty, refused.ToJsonString());
    }

    [Test]
    public async Task Invoke_ResultAgainstOutputSchema_ShouldAnswerNotOk()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync(EchoCode);
        var schemaId = await AddSchemaAsync("""{"type":"object","required":["product"]}""");
        await ReadJsonAsync(await Admin.PatchAsJsonAsync($"/api/function-versions/{versionId}", new { outputSchemaId = schemaId }), HttpStatusCode.OK);

        var answer = await InvokeAsync(functionId, new { args = new { a = 1, b = 2 } });

        Assert.That(answer["ok"]!.GetValue<bool>(), Is.False);
        Assert.That(answer["error"]!.GetValue<string>(), Does.Contain("output schema"));
    }

    [Test]
    public async Task Invoke_SoftDeletedFunction_ShouldBe409()
    {
        var (functionId, _) = await FunctionWithCodeAsync(EchoCode);
        (await Admin.DeleteAsync($"/api/functions/{functionId}")).EnsureSuccessStatusCode();

        await InvokeAsync(functionId, new { }, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Invoke_SoftDeletedVersion_ShouldBe409WithTheDomainReason()
    {
        var (functionId, versionId) = await FunctionWithCodeAsync(EchoCode);
        var fork = await ReadJsonAsync(await Admin.PostAsJsonAsync($"/api/function-versions/{versionId}/fork", new { name = "v2" }), HttpStatusCode.Created);
        var forkId = fork["id"]!.GetValue<string>();
        (await Admin.DeleteAsync($"/api/function-versions/{forkId}")).EnsureSuccessStatusCode();

        var problem = await InvokeAsync(functionId, new { versionId = forkId }, HttpStatusCode.Conflict);

        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo("The version is soft-deleted: restore it first."));
        Assert.That(problem["code"]!.GetValue<string>(), Is.EqualTo("general_bad_request"));
        Assert.That(problem["errors"], Is.Null, "no single request field is at fault");
    }

    [Test]
    public async Task Invoke_VersionWithoutAConventionalEntrypoint_ShouldRunNothingAndNameTheMissingFile()
    {
        // Only the function's entrypoint or index.js / index.mjs / main.py start a run: another lone file is not guessed at.
        var (functionId, _) = await FunctionWithCodeAsync(EchoCode, path: "handler.js");

        var answer = await InvokeAsync(functionId, new { });

        Assert.That(answer["ok"]!.GetValue<bool>(), Is.False);
        Assert.That(answer["error"]!.GetValue<string>(), Does.Contain("index.js"));
    }

    [Test]
    public async Task Invoke_WhenTheFunctionIsPurgedWhileItRuns_ShouldStillAnswerWhatRan()
    {
        var (functionId, _) = await FunctionWithCodeAsync("module.exports = async ({ res }) => { await new Promise(r => setTimeout(r, 1500)); return res.json('slow'); };");
        var running = Admin.PostAsJsonAsync($"/api/functions/{functionId}/invoke", new { });
        await Task.Delay(300);

        (await Admin.DeleteAsync($"/api/functions/{functionId}")).EnsureSuccessStatusCode();
        (await Admin.DeleteAsync($"/api/functions/{functionId}/purge")).EnsureSuccessStatusCode();
        var answer = await ReadJsonAsync(await running, HttpStatusCode.OK);

        Assert.That(answer["ok"], Is.Not.Null, "an invoke answer, not a 5xx, although its record had nowhere to go: " + answer.ToJsonString());
        await using var scope = TestServer.Services.CreateAsyncScope();
        Assert.That(await scope.ServiceProvider.GetRequiredService<AppDbContext>().Executions.IgnoreQueryFilters().CountAsync(e => e.FunctionId == functionId), Is.Zero);
    }

    [Test]
    public async Task Invoke_WithoutExecutionsWriteScope_ShouldBe403()
    {
        var (client, workspaceId, _) = await CreateTenantAsync("functions.read", "functions.write");
        var function = await CreateFunctionAsync(workspaceId: workspaceId, client: client);

        await InvokeAsync(function["id"]!.GetValue<string>(), new { }, HttpStatusCode.Forbidden, client);
    }

    [Test]
    public async Task Invoke_FunctionOfAnotherWorkspace_ShouldBe404()
    {
        var (functionId, _) = await FunctionWithCodeAsync(EchoCode);
        var (client, _, _) = await CreateTenantAsync();

        await InvokeAsync(functionId, new { }, HttpStatusCode.NotFound, client);
    }

    [Test]
    public async Task Health_ShouldReportTheSandboxAndRuntimes()
    {
        var health = await ReadJsonAsync(await Admin.GetAsync("/health"), HttpStatusCode.OK);

        Assert.That(health["sandbox"]!.GetValue<string>(), Is.EqualTo("bubblewrap"));
        Assert.That(health["runtimes"]!.AsArray().Select(r => r!.GetValue<string>()), Has.Some.StartsWith("node-").And.Some.StartsWith("python-"));
    }

    private static async Task<string> AddSchemaAsync(string document)
    {
        await using var scope = TestServer.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = "sch_" + Guid.NewGuid().ToString("N")[..20];
        db.Schemas.Add(Schema.Create(id, TestServer.DefaultWorkspace, "schema " + id, document, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        return id;
    }
}
