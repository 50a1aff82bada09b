using System.Text.Json.Nodes;

namespace FunctionsPlatform.Sdk.AcceptanceTests;

/// <summary>The unmodified node-appwrite 27.1.0 against the real server: every route of this slice, its errors, and isolation.</summary>
public sealed class NodeAppwriteSdkTests
{
    private static async Task<JsonNode> RunScenarioAsync(string script, Dictionary<string, string> environment)
    {
        environment["ENDPOINT"] = AcceptanceServer.Endpoint;
        var (exit, output, error) = await AcceptanceServer.RunAsync("node", [Path.Combine("scenarios", script)], environment);
        Assert.That(exit, Is.Zero, $"{script} failed:\n{error}\n{output}");
        return JsonNode.Parse(output.Trim().Split('\n')[^1])!;
    }

    private static void AssertError(JsonNode? failure, int code, string type) => Assert.Multiple(() =>
    {
        Assert.That(failure!["code"]!.GetValue<int>(), Is.EqualTo(code), failure.ToJsonString());
        Assert.That(failure["type"]!.GetValue<string>(), Is.EqualTo(type), failure.ToJsonString());
    });

    [Test]
    public async Task FunctionsAndVariables_ThroughTheSdk_ShouldBehaveAsAppwrite()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var result = await RunScenarioAsync("sdk-functions.mjs", new() { ["PROJECT"] = workspace, ["KEY"] = key });

        Assert.Multiple(() =>
        {
            Assert.That(result["ping"]!["message"]!.GetValue<string>(), Is.EqualTo("Pong!"), "the SDK wraps a text answer");
            Assert.That(result["runtimes"]!.AsArray().Select(r => r!.GetValue<string>()), Has.Some.StartsWith("node-"));
            Assert.That(result["specifications"]!.AsArray(), Is.Not.Empty);

            var created = result["created"]!;
            Assert.That(created["name"]!.GetValue<string>(), Is.EqualTo("sdk-fn"));
            Assert.That(created["execute"]!.AsArray().Select(e => e!.GetValue<string>()), Is.EqualTo(new[] { "any", "users/verified" }));
            Assert.That(created["schedule"]!.GetValue<string>(), Is.EqualTo("*/5 * * * *"));
            Assert.That(created["timeout"]!.GetValue<int>(), Is.EqualTo(30));
            Assert.That(created["logging"]!.GetValue<bool>(), Is.False);
            Assert.That(created["runtimeSpecification"]!.GetValue<string>(), Is.EqualTo(result["specifications"]![0]!.GetValue<string>()));
            Assert.That(created["buildSpecification"]!.GetValue<string>(), Is.EqualTo(result["specifications"]![0]!.GetValue<string>()));
            Assert.That(result["generated"]!["$id"]!.GetValue<string>(), Does.StartWith("fun_"));
            Assert.That(result["got"]!["$id"]!.GetValue<string>(), Is.EqualTo(created["$id"]!.GetValue<string>()));

            var updated = result["updated"]!;
            Assert.That(updated["name"]!.GetValue<string>(), Is.EqualTo("sdk-fn-2"));
            Assert.That(updated["timeout"]!.GetValue<int>(), Is.EqualTo(45));
            Assert.That(updated["schedule"]!.GetValue<string>(), Is.Empty, "PUT replaces what it omits");
            Assert.That(updated["entrypoint"]!.GetValue<string>(), Is.EqualTo("index.js"), "PUT keeps an omitted entrypoint");

            Assert.That(result["variable"]!["value"]!.GetValue<string>(), Is.EqualTo("visible"));
            Assert.That(result["secret"]!["secret"]!.GetValue<bool>(), Is.True);
            Assert.That(result["secret"]!["value"]!.GetValue<string>(), Is.Empty);
            Assert.That(result["variables"]!["total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(result["variableRead"]!["key"]!.GetValue<string>(), Is.EqualTo("PLAIN"));
            Assert.That(result["variableUpdated"]!["value"]!.GetValue<string>(), Is.EqualTo("changed"));
            Assert.That(result["variableDeleted"]!["message"]!.GetValue<string>(), Is.Empty, "the SDK's answer to a 204");
            Assert.That(result["deleted"]!["message"]!.GetValue<string>(), Is.Empty);
        });
        AssertError(result["duplicateKey"], 409, "variable_already_exists");
        AssertError(result["unsetSecret"], 400, "variable_cannot_unset_secret");
        AssertError(result["variableGone"], 404, "variable_not_found");
        AssertError(result["badTimeout"], 400, "general_argument_invalid");
        AssertError(result["badId"], 400, "general_argument_invalid");
        AssertError(result["badCron"], 400, "general_argument_invalid");
        AssertError(result["badRuntime"], 404, "function_runtime_unsupported");
        AssertError(result["duplicateId"], 409, "function_already_exists");
        AssertError(result["gone"], 404, "function_not_found");
    }

    [Test]
    public async Task AKeyOfOneWorkspace_ShouldNotSeeAnothersFunction()
    {
        var (a, keyA) = await AcceptanceServer.CreateWorkspaceAsync();
        var (b, keyB) = await AcceptanceServer.CreateWorkspaceAsync();
        var result = await RunScenarioAsync("sdk-isolation.mjs", new()
        {
            ["PROJECT_A"] = a, ["KEY_A"] = keyA, ["PROJECT_B"] = b, ["KEY_B"] = keyB,
        });

        AssertError(result["get"], 404, "function_not_found");
        AssertError(result["update"], 404, "function_not_found");
        AssertError(result["remove"], 404, "function_not_found");
        AssertError(result["variables"], 404, "function_not_found");
        AssertError(result["otherProject"], 404, "project_not_found");
        Assert.That(result["stillThere"]!.GetValue<string>(), Is.EqualTo("a-only"));
    }

    [Test]
    public async Task ProjectVariables_ThroughTheSdk_ShouldReachFunctionsUnderTheirOwn()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var functionId = await AcceptanceServer.CreateFunctionWithCodeAsync(workspace, "sdk-env",
            "module.exports = async ({ res }) => res.json({ shared: process.env.SHARED ?? null, both: process.env.BOTH ?? null });");
        var result = await RunScenarioAsync("sdk-project-variables.mjs", new() { ["PROJECT"] = workspace, ["KEY"] = key, ["FUNCTION_ID"] = functionId });

        Assert.Multiple(() =>
        {
            Assert.That(result["created"]!["resourceType"]!.GetValue<string>(), Is.EqualTo("project"));
            Assert.That(result["created"]!["value"]!.GetValue<string>(), Is.EqualTo("from-project"));
            Assert.That(result["secret"]!["value"]!.GetValue<string>(), Is.Empty, "secret by default: the value never reads back");
            Assert.That(result["list"]!["total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That((result["seen"]!["shared"]!.GetValue<string>(), result["seen"]!["both"]!.GetValue<string>()), Is.EqualTo(("from-project", "project-value")));
            Assert.That((result["seenAfter"]!["shared"]!.GetValue<string>(), result["seenAfter"]!["both"]!.GetValue<string>()), Is.EqualTo(("changed", "function-value")));
            Assert.That(result["read"]!["key"]!.GetValue<string>(), Is.EqualTo("BOTH"));
            Assert.That(result["seenLast"]!["shared"], Is.Null);
        });
        AssertError(result["duplicate"], 409, "variable_already_exists");
        AssertError(result["unsetSecret"], 400, "variable_cannot_unset_secret");
        AssertError(result["gone"], 404, "variable_not_found");
    }

    [Test]
    public async Task ExecutionsAndTheFunctionList_ThroughTheSdk_ShouldBehaveAsAppwrite()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var first = await AcceptanceServer.CreateFunctionWithCodeAsync(workspace, "sdk-exec-a", AcceptanceServer.EchoCode);
        var second = await AcceptanceServer.CreateFunctionWithCodeAsync(workspace, "sdk-exec-b", AcceptanceServer.EchoCode);
        var result = await RunScenarioAsync("sdk-executions.mjs", new() { ["PROJECT"] = workspace, ["KEY"] = key, ["FUNCTION_ID"] = first });

        var sync = result["sync"]!;
        var syncId = sync["$id"]!.GetValue<string>();
        var queuedId = result["queued"]!["$id"]!.GetValue<string>();
        var echoed = JsonNode.Parse(sync["responseBody"]!.GetValue<string>())!;
        Assert.Multiple(() =>
        {
            Assert.That(sync["status"]!.GetValue<string>(), Is.EqualTo("completed"), sync.ToJsonString());
            Assert.That(sync["functionId"]!.GetValue<string>(), Is.EqualTo(first));
            Assert.That(sync["requestPath"]!.GetValue<string>(), Is.EqualTo("/echo?x=1"));
            Assert.That(sync["requestMethod"]!.GetValue<string>(), Is.EqualTo("PUT"));
            Assert.That((echoed["path"]!.GetValue<string>(), echoed["query"]!.GetValue<string>(), echoed["body"]!.GetValue<string>(), echoed["custom"]!.GetValue<string>()),
                Is.EqualTo(("/echo", "x=1", "{\"a\":1}", "v")));
            Assert.That(sync["logs"]!.GetValue<string>(), Does.Contain("ran /echo"));
            Assert.That(result["queued"]!["status"]!.GetValue<string>(), Is.EqualTo("waiting"));
            Assert.That(result["polled"]!["status"]!.GetValue<string>(), Is.EqualTo("completed"), result["polled"]!.ToJsonString());

            Assert.That(Strings(result["gets"]), Is.EqualTo(new[] { syncId }));
            Assert.That(result["getsTotal"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(Strings(result["all"]), Is.EqualTo(new[] { queuedId, syncId }));
            Assert.That(result["allTotal"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(Strings(result["afterFirst"]), Is.EqualTo(new[] { queuedId }));
            Assert.That((result["uncountedTotal"]!.GetValue<int>(), result["uncountedCount"]!.GetValue<int>()), Is.EqualTo((0, 2)));
            Assert.That(Strings(result["afterDelete"]), Is.EqualTo(new[] { queuedId }));

            Assert.That(Strings(result["functionsAll"]), Is.EquivalentTo(new[] { first, second }));
            Assert.That(Strings(result["functionsEqual"]), Is.EqualTo(new[] { second }));
            Assert.That(Strings(result["functionsSearch"]), Is.EquivalentTo(new[] { first, second }));
            Assert.That(Strings(result["functionsPage"]), Has.Count.EqualTo(1));
            Assert.That(Strings(result["functionsAfter"]), Has.Count.EqualTo(1).And.Not.Contains(first));
        });
        AssertError(result["executionGone"], 404, "execution_not_found");
        AssertError(result["badQuery"], 400, "general_argument_invalid");
        AssertError(result["badCursor"], 400, "general_cursor_not_found");
        AssertError(result["badMethod"], 400, "general_argument_invalid");
        AssertError(result["missingFunction"], 404, "function_not_found");
    }

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    [Test]
    public async Task Deployments_ThroughTheSdk_ShouldUploadBuildListDownloadAndDelete()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var result = await RunScenarioAsync("sdk-deployments.mjs", new() { ["PROJECT"] = workspace, ["KEY"] = key });

        Assert.Multiple(() =>
        {
            var created = result["created"]!;
            Assert.That(created["type"]!.GetValue<string>(), Is.EqualTo("manual"));
            Assert.That(created["sourceSize"]!.GetValue<long>(), Is.EqualTo(result["smallSize"]!.GetValue<long>()));
            Assert.That(result["ready"]!["status"]!.GetValue<string>(), Is.EqualTo("ready"), result["ready"]!["buildLogs"]?.ToString());
            Assert.That(result["function"]!["deploymentId"]!.GetValue<string>(), Is.EqualTo(created["$id"]!.GetValue<string>()));

            Assert.That(result["largeSize"]!.GetValue<long>(), Is.GreaterThan(5 * 1024 * 1024), "over one chunk: the SDK sends Content-Range chunks");
            Assert.That(result["chunked"]!["sourceSize"]!.GetValue<long>(), Is.EqualTo(result["largeSize"]!.GetValue<long>()));
            Assert.That(result["chunkedReady"]!["status"]!.GetValue<string>(), Is.EqualTo("ready"), result["chunkedReady"]!["buildLogs"]?.ToString());
            Assert.That(result["downloadMatches"]!.GetValue<bool>(), Is.True, "the source download is the uploaded archive");

            Assert.That(result["list"]!["total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(result["largeOnly"]!["deployments"]!.AsArray().Select(d => d!["$id"]!.GetValue<string>()),
                Is.EqualTo(new[] { result["chunked"]!["$id"]!.GetValue<string>() }));
            Assert.That(result["activated"]!["deploymentId"]!.GetValue<string>(), Is.EqualTo(result["chunked"]!["$id"]!.GetValue<string>()));
            Assert.That(result["deleted"]!["message"]!.GetValue<string>(), Is.Empty, "the SDK's answer to a 204");
        });
        AssertError(result["search"], 400, "general_query_invalid");
        AssertError(result["canceledReady"], 400, "build_already_completed");
        AssertError(result["gone"], 404, "deployment_not_found");
        AssertError(result["badType"], 400, "storage_file_type_unsupported");
    }

    [Test]
    public async Task DeploymentSources_ThroughTheSdk_DuplicateTemplateAndGit_ShouldBuildAndRun()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var repository = Path.Combine(AcceptanceServer.GitRepositories, "repo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(repository, "app"));
        await File.WriteAllTextAsync(Path.Combine(repository, "app", "index.js"), "module.exports = async ({ res }) => res.json({ from: 'git' });");
        foreach (var command in new[]
                 {
                     new[] { "init", "--quiet", "--initial-branch=main" }, ["add", "-A"],
                     ["-c", "user.name=SDK Test", "-c", "user.email=sdk@example.test", "commit", "--quiet", "-m", "from the sdk test"],
                 })
        {
            var (exit, _, error) = await AcceptanceServer.RunAsync("git", command, new Dictionary<string, string>(), workingDirectory: repository);
            Assert.That(exit, Is.Zero, error);
        }

        var result = await RunScenarioAsync("sdk-deployment-sources.mjs", new() { ["PROJECT"] = workspace, ["KEY"] = key, ["REPO"] = repository });

        Assert.Multiple(() =>
        {
            foreach (var (name, from) in new[] { ("duplicate", "upload"), ("vcs", "git") })
            {
                Assert.That(result[name]!["deployment"]!["status"]!.GetValue<string>(), Is.EqualTo("ready"), result[name]!.ToJsonString());
                Assert.That(result[name]!["response"]!["from"]!.GetValue<string>(), Is.EqualTo(from));
            }

            Assert.That(result["duplicate"]!["created"]!["activate"]!.GetValue<bool>(), Is.True);
            Assert.That(result["template"]!["deployment"]!["status"]!.GetValue<string>(), Is.EqualTo("ready"), result["template"]!.ToJsonString());
            Assert.That(result["template"]!["response"]!["message"]!.GetValue<string>(), Is.EqualTo("Hello, SDK!"));
            Assert.That(result["template"]!["created"]!["type"]!.GetValue<string>(), Is.EqualTo("vcs"));
            Assert.That(result["vcs"]!["created"]!["providerCommitMessage"]!.GetValue<string>(), Is.EqualTo("from the sdk test"));
            Assert.That(result["vcs"]!["created"]!["providerBranch"]!.GetValue<string>(), Is.EqualTo("main"));
            Assert.That(result["vcs"]!["created"]!["providerCommitHash"]!.GetValue<string>(), Has.Length.EqualTo(40));
            Assert.That(File.Exists("/tmp/fp-sdk-pwned"), Is.False);
        });
        AssertError(result["duplicateMissing"], 404, "deployment_not_found");
        AssertError(result["templateMissing"], 404, "function_template_not_found");
        AssertError(result["vcsTag"], 400, "general_argument_invalid");
        AssertError(result["vcsInjection"], 400, "general_argument_invalid");
    }
}
