using System.Text.Json.Nodes;

namespace FunctionsPlatform.Sdk.AcceptanceTests;

/// <summary>The unmodified appwrite-cli 12.0.1 (response format 1.8.0), configured with <c>appwrite client</c>, in a temp HOME.</summary>
public sealed class AppwriteCliTests
{
    private string _home = "";

    [SetUp]
    public void CreateHome() => _home = Directory.CreateTempSubdirectory("fp-cli-home-").FullName;

    [TearDown]
    public void RemoveHome() => Directory.Delete(_home, recursive: true);

    private async Task<(int ExitCode, string Output)> CliAsync(params string[] arguments)
    {
        // Run from the temp HOME too: the CLI writes appwrite.config.json into its working directory.
        var cli = Path.Combine(AcceptanceServer.ProjectDirectory, "node_modules", "appwrite-cli", "index.js");
        var (exit, output, error) = await AcceptanceServer.RunAsync("node", [cli, .. arguments],
            new Dictionary<string, string> { ["HOME"] = _home }, workingDirectory: _home);
        return (exit, output + error);
    }

    private async Task<JsonNode> CliJsonAsync(params string[] arguments)
    {
        var (exit, output) = await CliAsync(["--json", .. arguments]);
        Assert.That(exit, Is.Zero, output);
        var start = output.IndexOf('{');
        Assert.That(start, Is.GreaterThanOrEqualTo(0), output);
        return JsonNode.Parse(output[start..(output.LastIndexOf('}') + 1)])!;
    }

    /// <summary>
    /// The <c>appwrite.config.json</c> of a project with one node function (the fields <c>appwrite push</c> reads): its code in
    /// <c>functions/{functionId}</c>, entrypoint <c>src/main.js</c>, executable by anyone.
    /// </summary>
    private Task WriteProjectConfigAsync(string workspace, string functionId, string runtime, string commands)
    {
        var config = new JsonObject
        {
            ["projectId"] = workspace,
            ["projectName"] = "acceptance",
            ["functions"] = new JsonArray(new JsonObject
            {
                ["$id"] = functionId,
                ["name"] = functionId,
                ["runtime"] = runtime,
                ["execute"] = new JsonArray("any"),
                ["events"] = new JsonArray(),
                ["scopes"] = new JsonArray(),
                ["schedule"] = "",
                ["timeout"] = 15,
                ["enabled"] = true,
                ["logging"] = true,
                ["entrypoint"] = "src/main.js",
                ["commands"] = commands,
                ["path"] = $"functions/{functionId}",
            }),
        };
        return File.WriteAllTextAsync(Path.Combine(_home, "appwrite.config.json"), config.ToJsonString());
    }

    [Test]
    public async Task CreateVariablesGetDelete_ThroughTheCli_ShouldWork()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var (configured, configOutput) = await CliAsync("client", "--endpoint", AcceptanceServer.Endpoint, "--project-id", workspace, "--key", key);
        Assert.That(configured, Is.Zero, configOutput);

        var runtimes = await CliJsonAsync("functions", "list-runtimes");
        var runtime = runtimes["runtimes"]!.AsArray().Select(r => r!["$id"]!.GetValue<string>()).First(id => id.StartsWith("node-", StringComparison.Ordinal));
        var created = await CliJsonAsync("functions", "create", "--function-id", "cli-fn", "--name", "from cli", "--runtime", runtime, "--timeout", "20", "--execute", "any");
        var variable = await CliJsonAsync("functions", "create-variable", "--function-id", "cli-fn", "--key", "CLI_KEY", "--value", "cli-value");
        var variables = await CliJsonAsync("functions", "list-variables", "--function-id", "cli-fn");
        var read = await CliJsonAsync("functions", "get", "--function-id", "cli-fn");

        Assert.Multiple(() =>
        {
            Assert.That(created["$id"]!.GetValue<string>(), Is.EqualTo("cli-fn"));
            Assert.That(created["timeout"]!.GetValue<int>(), Is.EqualTo(20));
            Assert.That(created["specification"]!.GetValue<string>(), Is.Not.Empty, "format 1.8.0 has one specification");
            Assert.That(variable["$id"]!.GetValue<string>(), Does.StartWith("var_"), "the CLI sends no variable id");
            Assert.That(variable["secret"]!.GetValue<bool>(), Is.True);
            Assert.That(variables["total"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(variables["variables"]![0]!["key"]!.GetValue<string>(), Is.EqualTo("CLI_KEY"));
            Assert.That(read["name"]!.GetValue<string>(), Is.EqualTo("from cli"));
            Assert.That(read["vars"]!.AsArray(), Has.Count.EqualTo(1));
        });

        var (deleted, deleteOutput) = await CliAsync("functions", "delete", "--function-id", "cli-fn");
        Assert.That(deleted, Is.Zero, deleteOutput);
        var (missing, missingOutput) = await CliAsync("functions", "get", "--function-id", "cli-fn");
        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.Not.Zero, missingOutput);
            Assert.That(missingOutput, Does.Contain("not found"));
        });
    }

    [Test]
    public async Task CreateExecutionThenListExecutions_ThroughTheCli_ShouldWork()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var functionId = await AcceptanceServer.CreateFunctionWithCodeAsync(workspace, "cli-exec", AcceptanceServer.EchoCode);
        var (configured, configOutput) = await CliAsync("client", "--endpoint", AcceptanceServer.Endpoint, "--project-id", workspace, "--key", key);
        Assert.That(configured, Is.Zero, configOutput);

        var execution = await CliJsonAsync("functions", "create-execution", "--function-id", functionId, "--body", "from cli", "--xpath", "/cli?y=2", "--method", "PATCH");
        var list = await CliJsonAsync("functions", "list-executions", "--function-id", functionId);

        Assert.Multiple(() =>
        {
            Assert.That(execution["status"]!.GetValue<string>(), Is.EqualTo("completed"), execution.ToJsonString());
            Assert.That(execution["functionId"]!.GetValue<string>(), Is.EqualTo(functionId), "format 1.8.0 names the function functionId");
            Assert.That(execution["requestPath"]!.GetValue<string>(), Is.EqualTo("/cli?y=2"));
            Assert.That(JsonNode.Parse(execution["responseBody"]!.GetValue<string>())!["body"]!.GetValue<string>(), Is.EqualTo("from cli"));
            Assert.That(list["total"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(list["executions"]![0]!["$id"]!.GetValue<string>(), Is.EqualTo(execution["$id"]!.GetValue<string>()));
            Assert.That(list["executions"]![0]!["requestMethod"]!.GetValue<string>(), Is.EqualTo("PATCH"));
        });
    }

    /// <summary>
    /// <c>appwrite push functions --all --force</c> from an <c>appwrite.config.json</c>: updates the function, uploads the
    /// folder as a deployment, waits for <c>ready</c>; an execution then runs the pushed code, and a second push the newer.
    /// The function exists first: creating one through push needs a console session (it reads console variables and
    /// creates a domain rule as the console), which an API key is not; <see cref="LoginThenPush_ShouldCreateTheFunctionAndItsDomain_AndDeploy"/>
    /// covers that path.
    /// </summary>
    [Test]
    public async Task PushFunctions_ShouldDeployWaitForReadyAndRunTheNewCode()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var (configured, configOutput) = await CliAsync("client", "--endpoint", AcceptanceServer.Endpoint, "--project-id", workspace, "--key", key);
        Assert.That(configured, Is.Zero, configOutput);
        var runtimes = await CliJsonAsync("functions", "list-runtimes");
        var runtime = runtimes["runtimes"]!.AsArray().Select(r => r!["$id"]!.GetValue<string>()).First(id => id.StartsWith("node-", StringComparison.Ordinal));
        await CliJsonAsync("functions", "create", "--function-id", "pushed", "--name", "pushed", "--runtime", runtime, "--execute", "any");

        var folder = Directory.CreateDirectory(Path.Combine(_home, "functions", "pushed")).FullName;
        await WriteProjectConfigAsync(workspace, "pushed", runtime, commands: "echo pushed-build");

        foreach (var generation in new[] { 1, 2 })
        {
            Directory.CreateDirectory(Path.Combine(folder, "src"));
            await File.WriteAllTextAsync(Path.Combine(folder, "src", "main.js"),
                $"module.exports = async ({{ res }}) => res.json({{ generation: {generation} }});");
            var (pushed, pushOutput) = await CliAsync("push", "functions", "--all", "--force");
            Assert.That(pushed, Is.Zero, pushOutput);
            Assert.That(pushOutput, Does.Contain("Successfully pushed 1 functions"), pushOutput);

            var execution = await CliJsonAsync("functions", "create-execution", "--function-id", "pushed");
            Assert.That(execution["status"]!.GetValue<string>(), Is.EqualTo("completed"), execution.ToJsonString());
            Assert.That(JsonNode.Parse(execution["responseBody"]!.GetValue<string>())!["generation"]!.GetValue<int>(), Is.EqualTo(generation));
        }

        var function = await CliJsonAsync("functions", "get", "--function-id", "pushed");
        var deployments = await CliJsonAsync("functions", "list-deployments", "--function-id", "pushed");
        Assert.Multiple(() =>
        {
            Assert.That(function["entrypoint"]!.GetValue<string>(), Is.EqualTo("src/main.js"), "push updates the function from the config");
            Assert.That(function["commands"]!.GetValue<string>(), Is.EqualTo("echo pushed-build"));
            Assert.That(deployments["total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(deployments["deployments"]!.AsArray().Select(d => d!["type"]!.GetValue<string>()), Is.All.EqualTo("cli"));
            Assert.That(deployments["deployments"]![1]!["buildLogs"]!.GetValue<string>(), Does.Contain("pushed-build"));
        });
    }

    /// <summary>
    /// The path of an Appwrite user: <c>appwrite login</c> (email + one of the user's API key tokens as the password),
    /// then <c>appwrite push functions</c> of a function that does not exist yet: push creates it, reads the console
    /// variables, gives it a domain under <c>functions.localhost</c>, deploys and waits for <c>ready</c>; the code then
    /// runs both through an execution and through its domain.
    /// </summary>
    [Test]
    public async Task LoginThenPush_ShouldCreateTheFunctionAndItsDomain_AndDeploy()
    {
        var (workspace, key) = await AcceptanceServer.CreateWorkspaceAsync();
        var email = $"u{workspace["ws-".Length..]}@example.test";
        var (loggedIn, loginOutput) = await CliAsync("login", "--endpoint", AcceptanceServer.Endpoint, "--email", email, "--password", key);
        Assert.That(loggedIn, Is.Zero, loginOutput);
        Assert.That(loginOutput, Does.Contain("Successfully signed in as " + email), loginOutput);
        var (_, whoami) = await CliAsync("whoami");
        Assert.That(whoami, Does.Contain(email), whoami);
        // The project comes from the directory's appwrite.config.json, as after `appwrite init project`.
        await File.WriteAllTextAsync(Path.Combine(_home, "appwrite.config.json"), new JsonObject { ["projectId"] = workspace }.ToJsonString());
        var runtimes = await CliJsonAsync("functions", "list-runtimes");
        var runtime = runtimes["runtimes"]!.AsArray().Select(r => r!["$id"]!.GetValue<string>()).First(id => id.StartsWith("node-", StringComparison.Ordinal));

        var folder = Directory.CreateDirectory(Path.Combine(_home, "functions", "fresh", "src")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "main.js"), "module.exports = async ({ req, res }) => res.json({ fresh: true, path: req.path });");
        await WriteProjectConfigAsync(workspace, "fresh", runtime, commands: "");

        var (pushed, pushOutput) = await CliAsync("push", "functions", "--all", "--force");
        Assert.That(pushed, Is.Zero, pushOutput);
        Assert.That(pushOutput, Does.Contain("Successfully pushed 1 functions"), pushOutput);

        var execution = await CliJsonAsync("functions", "create-execution", "--function-id", "fresh");
        var rules = await CliJsonAsync("proxy", "list-rules");
        var domain = rules["rules"]![0]!["domain"]!.GetValue<string>();
        using var anonymous = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Get, AcceptanceServer.Endpoint.Replace("/v1", "/from-the-domain", StringComparison.Ordinal));
        request.Headers.Host = domain;
        var served = await anonymous.SendAsync(request);
        var servedBody = await served.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(execution["status"]!.GetValue<string>(), Is.EqualTo("completed"), execution.ToJsonString());
            Assert.That(JsonNode.Parse(execution["responseBody"]!.GetValue<string>())!["fresh"]!.GetValue<bool>(), Is.True);
            Assert.That(rules["total"]!.GetValue<int>(), Is.EqualTo(1), rules.ToJsonString());
            Assert.That(domain, Does.EndWith(".functions.localhost"));
            Assert.That(served.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), servedBody);
            Assert.That(JsonNode.Parse(servedBody)!["path"]!.GetValue<string>(), Is.EqualTo("/from-the-domain"));
        });
    }
}
