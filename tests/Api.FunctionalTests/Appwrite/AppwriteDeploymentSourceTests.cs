using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using static FunctionsPlatform.Api.FunctionalTests.Appwrite.DeploymentArchives;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>
/// Deployments whose source the server fetches: duplicate (rebuild), catalogue templates and git revisions, built and
/// executed for real; and the template catalogue's list and get.
/// </summary>
public sealed class AppwriteDeploymentSourceTests : AppwriteTestBase
{
    private static async Task<string> FunctionAsync(HttpClient client, string extra = "") =>
        (await CreateV1FunctionAsync(client, extra: extra))["$id"]!.GetValue<string>();

    private static async Task<JsonNode> UploadAsync(HttpClient client, string fn, byte[] code, bool activate = true)
    {
        using var form = Form(code, activate);
        return await ReadJsonAsync(await client.PostAsync($"/v1/functions/{fn}/deployments", form), HttpStatusCode.Accepted);
    }

    private static async Task<JsonNode> WaitForAsync(HttpClient client, string fn, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var deployment = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}"), HttpStatusCode.OK);
            if (deployment["status"]!.GetValue<string>() is "ready" or "failed" or "canceled" || DateTime.UtcNow > deadline)
            {
                return deployment;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A synchronous /v1 execution; answers the function's response body as JSON.</summary>
    private static async Task<JsonNode> ExecuteAsync(HttpClient client, string fn, string method = "GET", string path = "/", string body = "")
    {
        var request = new JsonObject { ["async"] = false, ["method"] = method, ["path"] = path, ["body"] = body, ["headers"] = new JsonObject { ["content-type"] = "application/json" } };
        var execution = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/executions", request.ToJsonString()), HttpStatusCode.Created);
        Assert.That(execution["status"]!.GetValue<string>(), Is.EqualTo("completed"), execution.ToJsonString());
        return JsonNode.Parse(execution["responseBody"]!.GetValue<string>())!;
    }

    private static async Task<string> ReadyDeploymentAsync(HttpClient client, string fn, JsonNode created)
    {
        var id = created["$id"]!.GetValue<string>();
        var ready = await WaitForAsync(client, fn, id);
        Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("ready"), ready["buildLogs"]?.ToString());
        return id;
    }

    // Duplicate / rebuild

    [Test]
    public async Task Duplicate_ShouldRebuildTheSameSourceWithTheFunctionsCurrentCommands_AndActivateIt()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client, ""","entrypoint":"index.js","commands":"echo first-build" """.TrimEnd());
        var original = await ReadyDeploymentAsync(client, fn, await UploadAsync(client, fn, NodeFunction(answer: 5), activate: false));
        var runtime = await NodeRuntimeAsync(client);
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{fn}",
            $$"""{"name":"fn","runtime":"{{runtime}}","entrypoint":"index.js","commands":"echo second-build"}"""), HttpStatusCode.OK);

        var duplicate = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/duplicate",
            $$"""{"deploymentId":"{{original}}","buildId":"ignored"}"""), HttpStatusCode.Accepted);
        var id = await ReadyDeploymentAsync(client, fn, duplicate);
        var built = await WaitForAsync(client, fn, id);
        var function = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}"), HttpStatusCode.OK);
        var answer = await ExecuteAsync(client, fn);

        Assert.Multiple(() =>
        {
            Assert.That(id, Is.Not.EqualTo(original));
            Assert.That(duplicate["activate"]!.GetValue<bool>(), Is.True, "a rebuild always claims activation");
            Assert.That(duplicate["resourceId"]!.GetValue<string>(), Is.EqualTo(fn));
            Assert.That(duplicate["sourceSize"]!.GetValue<long>(), Is.GreaterThan(0));
            Assert.That(built["buildLogs"]!.GetValue<string>(), Does.Contain("second-build").And.Not.Contain("first-build"));
            Assert.That(function["deploymentId"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(answer["answer"]!.GetValue<int>(), Is.EqualTo(5), "the duplicate runs the original's code");
        });
    }

    [Test]
    public async Task Duplicate_OlderPaths_ShouldAlsoRebuild()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client, ""","entrypoint":"index.js" """.TrimEnd());
        var original = await ReadyDeploymentAsync(client, fn, await UploadAsync(client, fn, NodeFunction(answer: 8)));

        var viaBuild = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/{original}/build", "{}"), HttpStatusCode.Accepted);
        var viaBuildId = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/{original}/builds/any-build", "{}"), HttpStatusCode.Accepted);
        await ReadyDeploymentAsync(client, fn, viaBuild);
        var last = await ReadyDeploymentAsync(client, fn, viaBuildId);
        var list = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments"), HttpStatusCode.OK);
        var function = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(list["total"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(function["deploymentId"]!.GetValue<string>(), Is.EqualTo(last), "the last queued claim wins");
        });
        Assert.That((await ExecuteAsync(client, fn))["answer"]!.GetValue<int>(), Is.EqualTo(8));
    }

    [Test]
    public async Task Duplicate_UnknownMissingOrAnotherWorkspacesDeployment_ShouldBePreciseErrors()
    {
        using var admin = V1Client();
        var fn = await FunctionAsync(admin, ""","entrypoint":"index.js" """.TrimEnd());
        var tenant = await CreateTenantAsync();
        var key = tenant.Client.DefaultRequestHeaders.Authorization!.Parameter;
        tenant.Client.Dispose();
        using var other = V1Client(key, tenant.WorkspaceId);
        var foreignFn = await FunctionAsync(other, ""","entrypoint":"index.js" """.TrimEnd());
        var foreign = (await UploadAsync(other, foreignFn, NodeFunction(), activate: false))["$id"]!.GetValue<string>();
        var sibling = await FunctionAsync(admin, ""","entrypoint":"index.js" """.TrimEnd());
        var siblings = (await UploadAsync(admin, sibling, NodeFunction(), activate: false))["$id"]!.GetValue<string>();

        await AssertAppwriteErrorAsync(await SendAsync(admin, HttpMethod.Post, $"/v1/functions/{fn}/deployments/duplicate", $$"""{"deploymentId":"{{foreign}}"}"""), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(admin, HttpMethod.Post, $"/v1/functions/{fn}/deployments/duplicate", $$"""{"deploymentId":"{{siblings}}"}"""), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(admin, HttpMethod.Post, $"/v1/functions/{fn}/deployments/duplicate", """{"deploymentId":"nope"}"""), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(admin, HttpMethod.Post, $"/v1/functions/{fn}/deployments/nope/build", "{}"), HttpStatusCode.NotFound, "deployment_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(admin, HttpMethod.Post, $"/v1/functions/{fn}/deployments/duplicate", "{}"), HttpStatusCode.BadRequest, "general_argument_invalid");
        await AssertAppwriteErrorAsync(await SendAsync(admin, HttpMethod.Post, $"/v1/functions/{fn}/deployments/duplicate", """{"deploymentId":"""), HttpStatusCode.BadRequest, "general_argument_invalid");
        await AssertAppwriteErrorAsync(await SendAsync(other, HttpMethod.Post, $"/v1/functions/{fn}/deployments/duplicate", $$"""{"deploymentId":"{{siblings}}"}"""), HttpStatusCode.NotFound, "function_not_found");
        await AssertAppwriteErrorAsync(await SendAsync(admin, HttpMethod.Post, "/v1/functions/nope/deployments/duplicate", $$"""{"deploymentId":"{{siblings}}"}"""), HttpStatusCode.NotFound, "function_not_found");
    }

    // Templates

    private static readonly string[] TemplateFields =
    [
        "icon", "id", "name", "tagline", "permissions", "events", "cron", "timeout", "useCases", "runtimes", "instructions",
        "vcsProvider", "providerRepositoryId", "providerOwner", "providerVersion", "variables", "scopes",
    ];

    [Test]
    public async Task ListTemplates_ShouldAnswerAppwritesShapeWithoutAKey_AndFilterAndPage()
    {
        using var anonymous = V1Client(key: null, project: null);
        var runtime = await NodeRuntimeAsync(anonymous);

        var all = await ReadJsonAsync(await anonymous.GetAsync("/v1/functions/templates"), HttpStatusCode.OK);
        var ids = all["templates"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();
        var node = await ReadJsonAsync(await anonymous.GetAsync($"/v1/functions/templates?runtimes[]={runtime}&useCases[]=schedule"), HttpStatusCode.OK);
        var paged = await ReadJsonAsync(await anonymous.GetAsync("/v1/functions/templates?limit=1&offset=1"), HttpStatusCode.OK);
        var uncounted = await ReadJsonAsync(await anonymous.GetAsync("/v1/functions/templates?total=false"), HttpStatusCode.OK);
        var none = await ReadJsonAsync(await anonymous.GetAsync("/v1/functions/templates?runtimes[0]=cobol-1"), HttpStatusCode.OK);
        var hello = all["templates"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == "hello-world")!;

        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.SupersetOf(new[] { "hello-world", "json-api", "scheduled-job" }));
            Assert.That(all["total"]!.GetValue<int>(), Is.EqualTo(ids.Count));
            Assert.That(hello.AsObject().Select(p => p.Key), Is.EquivalentTo(TemplateFields));
            var runtimes = hello["runtimes"]!.AsArray();
            Assert.That(runtimes.Select(r => r!["name"]!.GetValue<string>()), Does.Contain(runtime));
            Assert.That(runtimes.Select(r => r!["providerRootDirectory"]!.GetValue<string>()), Does.Contain("node/hello-world"));
            Assert.That(runtimes.First(r => r!["name"]!.GetValue<string>() == runtime)!["entrypoint"]!.GetValue<string>(), Is.EqualTo("index.js"));
            Assert.That(hello["providerOwner"]!.GetValue<string>(), Is.EqualTo("functions-platform"));
            Assert.That(hello["providerRepositoryId"]!.GetValue<string>(), Is.EqualTo("templates"));
            Assert.That(hello["providerVersion"]!.GetValue<string>(), Is.EqualTo("1.0.0"));
            Assert.That(node["templates"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "scheduled-job" }));
            Assert.That(node["templates"]![0]!["cron"]!.GetValue<string>(), Is.EqualTo("0 * * * *"));
            Assert.That(paged["templates"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()), Is.EqualTo(new[] { ids[1] }));
            Assert.That(paged["total"]!.GetValue<int>(), Is.EqualTo(ids.Count), "total counts every match, not the page");
            Assert.That(uncounted["total"]!.GetValue<int>(), Is.Zero);
            Assert.That(none["total"]!.GetValue<int>(), Is.Zero);
        });
    }

    [TestCase("limit=0", "limit")]
    [TestCase("limit=5001", "limit")]
    [TestCase("limit=ten", "limit")]
    [TestCase("offset=-1", "offset")]
    [TestCase("offset=99999999999", "offset")]
    [TestCase("total=maybe", "total")]
    public async Task ListTemplates_BadParameters_ShouldBe400(string query, string field)
    {
        using var client = V1Client();
        var message = await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/functions/templates?{query}"), HttpStatusCode.BadRequest, "general_argument_invalid");
        Assert.That(message, Does.Contain(field));
    }

    [Test]
    public async Task GetTemplate_ShouldAnswerOneEntry_AndUnknownIsFunctionTemplateNotFound()
    {
        using var anonymous = V1Client(key: null, project: null);
        var json = await ReadJsonAsync(await anonymous.GetAsync("/v1/functions/templates/json-api"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(json.AsObject().Select(p => p.Key), Is.EquivalentTo(TemplateFields));
            Assert.That(json["variables"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("API_GREETING"));
        });
        await AssertAppwriteErrorAsync(await anonymous.GetAsync("/v1/functions/templates/no-such-template"), HttpStatusCode.NotFound, "function_template_not_found");
        await AssertAppwriteErrorAsync(await anonymous.GetAsync($"/v1/functions/templates/{new string('a', 129)}"), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task TemplateDeployment_NodeHelloWorld_ShouldBuildAndRun()
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);

        var created = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/template",
            """{"repository":"templates","owner":"functions-platform","rootDirectory":"node/hello-world","type":"tag","reference":"1.0.0","activate":true}"""), HttpStatusCode.Accepted);
        await ReadyDeploymentAsync(client, fn, created);
        var answer = await ExecuteAsync(client, fn, "POST", "/", """{"name":"Ada"}""");

        Assert.Multiple(() =>
        {
            Assert.That(created["type"]!.GetValue<string>(), Is.EqualTo("vcs"));
            Assert.That(created["entrypoint"]!.GetValue<string>(), Is.EqualTo("index.js"), "the template's entrypoint when the function has none");
            Assert.That(created["providerRepositoryOwner"]!.GetValue<string>(), Is.EqualTo("functions-platform"));
            Assert.That(created["providerRepositoryName"]!.GetValue<string>(), Is.EqualTo("templates"));
            Assert.That(answer["message"]!.GetValue<string>(), Is.EqualTo("Hello, Ada!"));
            Assert.That(answer["runtime"]!.GetValue<string>(), Is.EqualTo("node"));
        });
    }

    [Test]
    public async Task TemplateDeployment_PythonJsonApi_ShouldBuildAndRoute()
    {
        using var client = V1Client();
        var runtimes = await ReadJsonAsync(await client.GetAsync("/v1/functions/runtimes"), HttpStatusCode.OK);
        var python = runtimes["runtimes"]!.AsArray().Select(r => r!["$id"]!.GetValue<string>()).FirstOrDefault(id => id.StartsWith("python-", StringComparison.Ordinal));
        Assert.That(python, Is.Not.Null, "python is installed on the test host");
        var fn = (await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions",
            $$"""{"functionId":"unique()","name":"api","runtime":"{{python}}"}"""), HttpStatusCode.Created))["$id"]!.GetValue<string>();

        var created = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/template",
            """{"repository":"templates","owner":"functions-platform","rootDirectory":"python/json-api","version":"1.0.0","activate":true}"""), HttpStatusCode.Accepted);
        await ReadyDeploymentAsync(client, fn, created);
        var items = await ExecuteAsync(client, fn, "GET", "/items");
        var echo = await ExecuteAsync(client, fn, "POST", "/echo", """{"x":1}""");

        Assert.Multiple(() =>
        {
            Assert.That(created["entrypoint"]!.GetValue<string>(), Is.EqualTo("main.py"));
            Assert.That(items["total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(echo["echo"]!["x"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [TestCase("""{"repository":"templates","owner":"someone-else","rootDirectory":"node/hello-world","type":"tag","reference":"1.0.0"}""")]
    [TestCase("""{"repository":"other","owner":"functions-platform","rootDirectory":"node/hello-world","type":"tag","reference":"1.0.0"}""")]
    [TestCase("""{"repository":"templates","owner":"functions-platform","rootDirectory":"node/no-such","type":"tag","reference":"1.0.0"}""")]
    [TestCase("""{"repository":"templates","owner":"functions-platform","rootDirectory":"../../etc","type":"tag","reference":"1.0.0"}""")]
    [TestCase("""{"repository":"templates","owner":"functions-platform","rootDirectory":"node/hello-world","type":"tag","reference":"9.9.9"}""")]
    public async Task TemplateDeployment_UnknownEntry_ShouldBeFunctionTemplateNotFound(string body)
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/template", body), HttpStatusCode.NotFound, "function_template_not_found");
    }

    [TestCase("{}")]
    [TestCase("""{"owner":"functions-platform","rootDirectory":"node/hello-world","reference":"1.0.0"}""")]
    [TestCase("""{"repository":"templates","owner":"functions-platform","rootDirectory":"node/hello-world","type":"release","reference":"1.0.0"}""")]
    [TestCase("""{"repository":"templates","owner":"functions-platform","rootDirectory":"node/hello-world","type":"tag"}""")]
    [TestCase("""{"repository":5}""")]
    public async Task TemplateDeployment_BadBody_ShouldBe400(string body)
    {
        using var client = V1Client();
        var fn = await FunctionAsync(client);
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/template", body), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task OperatorTemplates_ValidFoldersAppear_BrokenOnesAreSkipped()
    {
        var id = "op-" + Guid.NewGuid().ToString("N")[..8];
        var valid = Directory.CreateDirectory(Path.Combine(TestServer.OperatorTemplates, id));
        Directory.CreateDirectory(Path.Combine(valid.FullName, "node"));
        await File.WriteAllTextAsync(Path.Combine(valid.FullName, "node", "index.js"), "module.exports = async ({ res }) => res.json({ operator: true });");
        await File.WriteAllTextAsync(Path.Combine(valid.FullName, "template.json"),
            $$"""{"id":"{{id}}","name":"Operator's","useCases":["starter"],"runtimes":[{"name":"node","folder":"node","entrypoint":"index.js"}]}""");
        var broken = new Dictionary<string, string>
        {
            ["bad-json-" + id] = "{ not json",
            ["no-entry-" + id] = """{"id":"no-entry","name":"x","runtimes":[{"name":"node","folder":"node","entrypoint":"missing.js"}]}""",
            ["escape-" + id] = """{"id":"escape","name":"x","runtimes":[{"name":"node","folder":"..","entrypoint":"index.js"}]}""",
            ["bad-id-" + id] = """{"id":"../x","name":"x","runtimes":[{"name":"node","folder":"node","entrypoint":"index.js"}]}""",
            ["dup-" + id] = """{"id":"hello-world","name":"x","runtimes":[{"name":"node","folder":"node","entrypoint":"index.js"}]}""",
            ["types-" + id] = """{"id":"types","name":"x","timeout":"long","runtimes":[]}""",
        };
        foreach (var (folder, manifest) in broken)
        {
            var dir = Directory.CreateDirectory(Path.Combine(TestServer.OperatorTemplates, folder));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "node"));
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "node", "index.js"), "module.exports = async ({ res }) => res.json({});");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "template.json"), manifest);
        }

        Directory.CreateDirectory(Path.Combine(TestServer.OperatorTemplates, "no-manifest-" + id));
        try
        {
            using var client = V1Client();
            var list = await ReadJsonAsync(await client.GetAsync("/v1/functions/templates?limit=100"), HttpStatusCode.OK);
            var ids = list["templates"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(ids, Does.Contain(id));
                Assert.That(ids, Has.None.AnyOf("no-entry", "escape", "../x", "types"));
                Assert.That(ids.Count(i => i == "hello-world"), Is.EqualTo(1), "a duplicate id does not replace the shipped template");
            });

            var fn = await FunctionAsync(client);
            var created = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/template",
                $$"""{"repository":"templates","owner":"functions-platform","rootDirectory":"node/{{id}}","type":"tag","reference":"1.0.0","activate":true}"""), HttpStatusCode.Accepted);
            await ReadyDeploymentAsync(client, fn, created);
            Assert.That((await ExecuteAsync(client, fn))["operator"]!.GetValue<bool>(), Is.True);
        }
        finally
        {
            foreach (var folder in Directory.EnumerateDirectories(TestServer.OperatorTemplates).Where(d => d.EndsWith(id, StringComparison.Ordinal)))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // Git

    /// <summary>A repository in the allowed directory: app/index.js answering <paramref name="answer"/> on branch main.</summary>
    private static async Task<(string Path, string Commit)> RepositoryAsync(int answer, string root = "app")
    {
        var path = Path.Combine(TestServer.GitRepositories, "repo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        await GitAsync(path, "init", "--quiet", "--initial-branch=main");
        return (path, await CommitAsync(path, answer, "first version", root));
    }

    private static async Task<string> CommitAsync(string repository, int answer, string message, string root = "app")
    {
        var dir = Directory.CreateDirectory(Path.Combine(repository, root));
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "index.js"), $"module.exports = async ({{ res }}) => res.json({{ answer: {answer} }});");
        await GitAsync(repository, "add", "-A");
        await GitAsync(repository, "-c", "user.name=Grace Hopper", "-c", "user.email=grace@example.test", "commit", "--quiet", "-m", message);
        return (await GitAsync(repository, "rev-parse", "HEAD")).Trim();
    }

    private static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"git {string.Join(' ', arguments)}: {errors}");
        return output;
    }

    private static Task<string> GitFunctionAsync(HttpClient client, string repository, string root = "app") =>
        FunctionAsync(client, $$""","entrypoint":"index.js","installationId":"local","providerRepositoryId":"{{repository}}","providerBranch":"main","providerRootDirectory":"{{root}}" """.TrimEnd());

    [Test]
    public async Task Vcs_Branch_ShouldCloneBuildRunAndRecordTheCommit()
    {
        var (repository, _) = await RepositoryAsync(answer: 1);
        var tip = await CommitAsync(repository, 2, "second version\n\nwith a body");
        using var client = V1Client();
        var fn = await GitFunctionAsync(client, repository);

        var created = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/vcs",
            """{"type":"branch","reference":"main","activate":true}"""), HttpStatusCode.Accepted);
        var id = await ReadyDeploymentAsync(client, fn, created);
        var answer = await ExecuteAsync(client, fn);
        var fetched = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments/{id}"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(created["type"]!.GetValue<string>(), Is.EqualTo("vcs"));
            Assert.That(fetched["providerCommitHash"]!.GetValue<string>(), Is.EqualTo(tip));
            Assert.That(fetched["providerCommitAuthor"]!.GetValue<string>(), Is.EqualTo("Grace Hopper"));
            Assert.That(fetched["providerCommitMessage"]!.GetValue<string>(), Is.EqualTo("second version\n\nwith a body"));
            Assert.That(fetched["providerBranch"]!.GetValue<string>(), Is.EqualTo("main"));
            Assert.That(fetched["providerRepositoryUrl"]!.GetValue<string>(), Is.EqualTo(repository));
            Assert.That(fetched["providerRepositoryName"]!.GetValue<string>(), Is.EqualTo(Path.GetFileName(repository)));
            Assert.That(answer["answer"]!.GetValue<int>(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Vcs_Commit_ShouldDeployThatCommit_AndTheRequestsRootDirectoryWins()
    {
        var (repository, first) = await RepositoryAsync(answer: 11);
        await CommitAsync(repository, 12, "newer");
        await CommitAsync(repository, 13, "elsewhere", root: "other");
        using var client = V1Client();
        var fn = await GitFunctionAsync(client, repository, root: "wrong");

        var created = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/vcs",
            $$"""{"type":"commit","reference":"{{first}}","activate":true,"providerRootDirectory":"app"}"""), HttpStatusCode.Accepted);
        await ReadyDeploymentAsync(client, fn, created);
        var answer = await ExecuteAsync(client, fn);

        Assert.Multiple(() =>
        {
            Assert.That(created["providerCommitHash"]!.GetValue<string>(), Is.EqualTo(first));
            Assert.That(created["providerBranch"]!.GetValue<string>(), Is.Empty);
            Assert.That(answer["answer"]!.GetValue<int>(), Is.EqualTo(11));
        });
    }

    [Test]
    public async Task Vcs_WholeRepository_ShouldNotShipTheGitDirectory()
    {
        var (repository, _) = await RepositoryAsync(answer: 3, root: ".");
        using var client = V1Client();
        var fn = await GitFunctionAsync(client, repository, root: "");

        var created = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/vcs", """{"type":"branch","reference":"main"}"""), HttpStatusCode.Accepted);
        var id = await ReadyDeploymentAsync(client, fn, created);
        using var download = await client.GetAsync($"/v1/functions/{fn}/deployments/{id}/download");
        var names = new List<string>();
        await using (var gzip = new System.IO.Compression.GZipStream(await download.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
        using (var tar = new System.Formats.Tar.TarReader(gzip))
        {
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                names.Add(entry.Name);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(created["activate"]!.GetValue<bool>(), Is.False, "activate defaults to false");
            Assert.That(names, Does.Contain("index.js"));
            Assert.That(names, Has.None.StartsWith(".git"));
        });
    }

    [TestCase("""{"type":"branch","reference":"-uhelp"}""", "reference")]
    [TestCase("""{"type":"branch","reference":"--upload-pack=touch /tmp/fp-pwned"}""", "reference")]
    [TestCase("""{"type":"tag","reference":"v1"}""", "type")]
    [TestCase("""{"type":"commit","reference":"abc1234"}""", "reference")]
    [TestCase("""{"type":"branch"}""", "reference")]
    [TestCase("""{"type":"branch","reference":"main","providerRootDirectory":"../.."}""", "providerRootDirectory")]
    [TestCase("""{"type":"branch","reference":"main","providerRootDirectory":"/etc"}""", "providerRootDirectory")]
    [TestCase("""{"type":"branch","reference":"no-such-branch"}""", "reference")]
    [TestCase("""{"type":"commit","reference":"0123456789012345678901234567890123456789"}""", "reference")]
    [TestCase("""{"type":"branch","reference":"main","providerRootDirectory":"missing"}""", "providerRootDirectory")]
    [TestCase("""{"type":"branch","reference":"main","providerRootDirectory":".git"}""", "providerRootDirectory")]
    public async Task Vcs_BadInput_ShouldBe400NamingTheField(string body, string field)
    {
        var (repository, _) = await RepositoryAsync(answer: 1);
        using var client = V1Client();
        var fn = await GitFunctionAsync(client, repository);

        var message = await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{fn}/deployments/vcs", body), HttpStatusCode.BadRequest, "general_argument_invalid");
        var list = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/deployments"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(message, Does.Contain(field));
            Assert.That(list["total"]!.GetValue<int>(), Is.Zero, "a refused request leaves no deployment");
            Assert.That(File.Exists("/tmp/fp-pwned"), Is.False);
        });
    }

    [Test]
    public async Task Vcs_RepositoryOutsideTheAllowList_OrNone_ShouldBeRefused()
    {
        var outside = Directory.CreateTempSubdirectory("fp-git-outside-");
        try
        {
            await GitAsync(outside.FullName, "init", "--quiet", "--initial-branch=main");
            using var client = V1Client();
            var notAllowed = await GitFunctionAsync(client, outside.FullName);
            var sneaky = await GitFunctionAsync(client, TestServer.GitRepositories + "/../" + Path.GetFileName(TestServer.DataDirectory));
            var remote = await GitFunctionAsync(client, "ext::sh -c touch% /tmp/fp-pwned");
            var unconnected = await FunctionAsync(client, ""","entrypoint":"index.js" """.TrimEnd());
            const string body = """{"type":"branch","reference":"main"}""";

            await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{notAllowed}/deployments/vcs", body), HttpStatusCode.BadRequest, "general_argument_invalid");
            await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{sneaky}/deployments/vcs", body), HttpStatusCode.BadRequest, "general_argument_invalid");
            await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{remote}/deployments/vcs", body), HttpStatusCode.BadRequest, "general_argument_invalid");
            await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, $"/v1/functions/{unconnected}/deployments/vcs", body), HttpStatusCode.NotFound, "installation_not_found");
            await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions/nope/deployments/vcs", body), HttpStatusCode.NotFound, "function_not_found");
            Assert.That(File.Exists("/tmp/fp-pwned"), Is.False);
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }
}
