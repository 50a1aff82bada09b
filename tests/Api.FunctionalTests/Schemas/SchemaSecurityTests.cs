using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Schemas;

/// <summary>Schemas never make the server fetch anything, and a backtracking pattern cannot hold a request.</summary>
public sealed class SchemaSecurityTests : FunctionalTestBase
{
    /// <summary>Nested quantifiers: each extra 'a' doubles the backtracking before the final '!' fails the match.</summary>
    private const string BombPattern = "^(a+)+$";
    private static readonly string BombValue = new string('a', 32) + "!";

    /// <summary>The bound this suite holds the server to for a request that trips the regex budget.</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(2);

    private static string SchemaBody(string schema) => $$"""{"workspaceId":"{{TestServer.DefaultWorkspace}}","name":"s","schema":{{schema}}}""";

    private static IEnumerable<TestCaseData> OutsideReferences()
    {
        yield return new TestCaseData("{0}/x.json", "/$ref").SetName("Create_WithUrlRef_ShouldBe400_AndNotFetch");
        yield return new TestCaseData("{0}/x.json#/definitions/a", "/$ref").SetName("Create_WithUrlRefAndFragment_ShouldBe400_AndNotFetch");
    }

    [TestCaseSource(nameof(OutsideReferences))]
    public async Task Create_WithOutsideRef_ShouldBe400NamingThePath_AndNeverConnect(string template, string pointer)
    {
        using var upstream = new ConnectionRecorder();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, upstream.BaseUrl);
        using var client = TestServer.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);

        var problem = await ReadJsonAsync(await SendJsonAsync(client, HttpMethod.Post, "/api/schemas", SchemaBody($$"""{"$ref":"{{url}}"}""")), HttpStatusCode.BadRequest);

        Assert.Multiple(() =>
        {
            Assert.That(problem["errors"]!["schema"]![0]!.GetValue<string>(), Does.StartWith(pointer + ":"), problem.ToJsonString());
            Assert.That(upstream.Connections, Is.Zero, "the server connected to the referenced URL");
        });
    }

    [Test]
    public async Task Create_WithNestedRelativeRef_ShouldBe400NamingTheNestedPath()
    {
        var body = SchemaBody("""{"type":"object","properties":{"a":{"$ref":"other.json"}}}""");

        var problem = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/schemas", body), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!["schema"]![0]!.GetValue<string>(), Does.StartWith("/properties/a/$ref:").And.Contain("other.json"));
    }

    [Test]
    public async Task Patch_WithUrlRef_ShouldBe400_AndNeverConnect()
    {
        using var upstream = new ConnectionRecorder();
        var created = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/schemas", SchemaBody("""{"type":"string"}""")), HttpStatusCode.Created);

        var problem = await ReadJsonAsync(
            await SendJsonAsync(Admin, HttpMethod.Patch, $"/api/schemas/{created["id"]}", "{\"schema\":{\"$defs\":{\"x\":{\"$ref\":\"" + upstream.BaseUrl + "/x.json\"}}}}"),
            HttpStatusCode.BadRequest);

        Assert.Multiple(() =>
        {
            Assert.That(problem["errors"]!["schema"]![0]!.GetValue<string>(), Does.StartWith("/$defs/x/$ref:"));
            Assert.That(upstream.Connections, Is.Zero);
        });
    }

    [Test]
    public async Task Create_WithInDocumentRef_ShouldBeAccepted_AndValidateThroughIt()
    {
        var schema = """{"type":"object","definitions":{"n":{"type":"integer"}},"properties":{"n":{"$ref":"#/definitions/n"}},"required":["n"]}""";
        var created = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/schemas", SchemaBody(schema)), HttpStatusCode.Created);
        var function = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/functions",
            $$"""{"workspaceId":"default","name":"refd","inputSchemaId":"{{created["id"]}}"}"""), HttpStatusCode.Created);

        var problem = await ReadJsonAsync(
            await SendJsonAsync(Admin, HttpMethod.Post, $"/api/functions/{function["id"]}/invoke", """{"args":{"n":"text"}}"""), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!["args"]![0]!.GetValue<string>(), Does.Contain("n"));
    }

    [Test]
    public async Task Create_WithPatternThatDoesNotCompile_ShouldBe400NamingThePath()
    {
        var problem = await ReadJsonAsync(
            await SendJsonAsync(Admin, HttpMethod.Post, "/api/schemas", SchemaBody("""{"type":"object","patternProperties":{"(":{"type":"string"}}}""")),
            HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!["schema"]![0]!.GetValue<string>(), Does.StartWith("/patternProperties/(:").And.Contain("regular expression"));
    }

    [TestCase("""{"type":"object","properties":{"s":{"type":"string","pattern":"^(a+)+$"}}}""", """{"s":"BOMB"}""", TestName = "Invoke_WithPatternBomb_ShouldBe400WithinTheBound")]
    [TestCase("""{"type":"object","patternProperties":{"^(a+)+$":{"type":"string"}}}""", """{"BOMB":"x"}""", TestName = "Invoke_WithPatternPropertiesBomb_ShouldBe400WithinTheBound")]
    public async Task Invoke_WithBacktrackingPattern_ShouldAnswer400BeforeRunning_WithinTheBound(string schema, string args)
    {
        var created = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/schemas", SchemaBody(schema)), HttpStatusCode.Created);
        var function = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/functions",
            $$"""{"workspaceId":"default","name":"bomb","inputSchemaId":"{{created["id"]}}"}"""), HttpStatusCode.Created);
        using var client = TestServer.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(15);

        var watch = Stopwatch.StartNew();
        var response = await SendJsonAsync(client, HttpMethod.Post, $"/api/functions/{function["id"]}/invoke",
            $$"""{"args":{{args.Replace("BOMB", BombValue, StringComparison.Ordinal)}}}""");
        watch.Stop();
        TestContext.Out.WriteLine($"Answered in {watch.ElapsedMilliseconds} ms");
        var problem = await ReadJsonAsync(response, HttpStatusCode.BadRequest);

        Assert.Multiple(() =>
        {
            Assert.That(watch.Elapsed, Is.LessThan(AnswerBound));
            Assert.That(problem["errors"]!["args"]![0]!.GetValue<string>(), Does.Contain("took longer than"));
        });
    }

    [Test]
    public async Task Invoke_WithFormatRegex_ShouldRefuseAValueThatIsNotARegex()
    {
        var created = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/schemas",
            SchemaBody("""{"type":"object","properties":{"r":{"type":"string","format":"regex"}}}""")), HttpStatusCode.Created);
        var function = await ReadJsonAsync(await SendJsonAsync(Admin, HttpMethod.Post, "/api/functions",
            $$"""{"workspaceId":"default","name":"rx","inputSchemaId":"{{created["id"]}}"}"""), HttpStatusCode.Created);

        var problem = await ReadJsonAsync(
            await SendJsonAsync(Admin, HttpMethod.Post, $"/api/functions/{function["id"]}/invoke", """{"args":{"r":"(unclosed"}}"""), HttpStatusCode.BadRequest);

        Assert.That(problem["errors"]!["args"]![0]!.GetValue<string>(), Is.EqualTo("#/r: PatternMismatch"));
    }

    /// <summary>A loopback listener that counts the connections made to it and never answers.</summary>
    private sealed class ConnectionRecorder : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _connections;

        public ConnectionRecorder()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
