using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>
/// Proxy rules for functions (what <c>appwrite push</c> creates for a new function) and the requests a rule's domain
/// serves: a subdomain of <c>functions.localhost</c> runs its function as an anonymous caller.
/// </summary>
public sealed class AppwriteProxyRuleTests : AppwriteTestBase
{
    private const string EchoCode = """
        module.exports = async ({ req, res }) => res.json({
          method: req.method, path: req.path, query: req.query, body: req.bodyText, custom: req.headers['x-custom'] ?? null,
          platformKey: (req.headers['x-appwrite-key'] ?? '').slice(0, 10), trigger: req.headers['x-appwrite-trigger'] ?? null,
        }, 202, { 'x-from-function': 'yes' });
        """;

    [Test]
    public async Task FunctionRule_ShouldBeCreatedListedReadAndDeleted()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync(EchoCode);
        var domain = $"rule-{Guid.NewGuid():N}"[..20] + ".functions.localhost";

        var rule = await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, "/v1/proxy/rules/function",
            $$"""{"domain":"{{domain.ToUpperInvariant()}}","functionId":"{{fn}}"}"""), HttpStatusCode.Created);
        var id = rule["$id"]!.GetValue<string>();
        var cliQueries = string.Join('&', new[]
        {
            """{"method":"limit","values":[1]}""",
            """{"method":"equal","attribute":"deploymentResourceType","values":["function"]}""",
            $$"""{"method":"equal","attribute":"deploymentResourceId","values":["{{fn}}"]}""",
            """{"method":"equal","attribute":"trigger","values":["manual"]}""",
        }.Select(q => "queries[]=" + Uri.EscapeDataString(q)));
        var listed = await ReadJsonAsync(await client.GetAsync("/v1/proxy/rules?" + cliQueries), HttpStatusCode.OK);
        var searched = await ReadJsonAsync(await client.GetAsync("/v1/proxy/rules?search=" + domain[..8]), HttpStatusCode.OK);
        var read = await ReadJsonAsync(await client.GetAsync($"/v1/proxy/rules/{id}"), HttpStatusCode.OK);
        var deleted = await client.DeleteAsync($"/v1/proxy/rules/{id}");

        Assert.Multiple(() =>
        {
            Assert.That(rule["domain"]!.GetValue<string>(), Is.EqualTo(domain), "domains are stored lower-case");
            Assert.That(rule["deploymentResourceType"]!.GetValue<string>(), Is.EqualTo("function"));
            Assert.That(rule["deploymentResourceId"]!.GetValue<string>(), Is.EqualTo(fn));
            Assert.That(rule["status"]!.GetValue<string>(), Is.EqualTo("verified"));
            Assert.That(rule["redirectStatusCode"]!.GetValue<int>(), Is.Zero);
            Assert.That(listed["total"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(listed["rules"]![0]!["domain"]!.GetValue<string>(), Is.EqualTo(domain));
            Assert.That(searched["total"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(read["$id"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        });
        await AssertAppwriteErrorAsync(await client.GetAsync($"/v1/proxy/rules/{id}"), HttpStatusCode.NotFound, "rule_not_found");
    }

    [TestCase("example.com", TestName = "FunctionRule_OutsideTheFunctionsDomain_ShouldBe400")]
    [TestCase("functions.localhost", TestName = "FunctionRule_OnTheFunctionsDomainItself_ShouldBe400")]
    [TestCase("a.b.functions.localhost", TestName = "FunctionRule_TwoLabelsDeep_ShouldBe400")]
    [TestCase("-a.functions.localhost", TestName = "FunctionRule_LabelStartingWithAHyphen_ShouldBe400")]
    [TestCase("a_b.functions.localhost", TestName = "FunctionRule_LabelWithAnUnderscore_ShouldBe400")]
    [TestCase("https://a.functions.localhost", TestName = "FunctionRule_AUrl_ShouldBe400")]
    [TestCase("", TestName = "FunctionRule_EmptyDomain_ShouldBe400")]
    public async Task FunctionRule_WithADomainNotAllowed_ShouldBe400(string domain)
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync(EchoCode);

        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, "/v1/proxy/rules/function",
            $$"""{"domain":"{{domain}}","functionId":"{{fn}}"}"""), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task FunctionRule_WithABranch_ShouldBe400()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync(EchoCode);

        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, "/v1/proxy/rules/function",
            $$"""{"domain":"branchy.functions.localhost","functionId":"{{fn}}","branch":"main"}"""), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task FunctionRule_ForADomainAlreadyTaken_ShouldBe409_EvenFromAnotherWorkspace()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync(EchoCode);
        await RuleAsync(client, "taken.functions.localhost", fn);
        var (tenant, workspace, _) = await CreateTenantAsync();
        var theirs = await CreateFunctionAsync("theirs", workspace, tenant);
        using var them = V1Client(tenant.DefaultRequestHeaders.Authorization!.Parameter, workspace);
        tenant.Dispose();

        await AssertAppwriteErrorAsync(await SendAsync(them, HttpMethod.Post, "/v1/proxy/rules/function",
            $$"""{"domain":"taken.functions.localhost","functionId":"{{theirs["id"]}}"}"""), HttpStatusCode.Conflict, "rule_already_exists");
    }

    [Test]
    public async Task FunctionRule_ForAnotherWorkspacesFunction_ShouldBe404_AndItsRulesStayInvisible()
    {
        using var admin = V1Client();
        var fn = await FunctionWithCodeAsync(EchoCode);
        var rule = await ReadJsonAsync(await SendAsync(admin, HttpMethod.Post, "/v1/proxy/rules/function",
            $$"""{"domain":"private.functions.localhost","functionId":"{{fn}}"}"""), HttpStatusCode.Created);
        var (tenant, workspace, _) = await CreateTenantAsync();
        using var them = V1Client(tenant.DefaultRequestHeaders.Authorization!.Parameter, workspace);
        tenant.Dispose();

        await AssertAppwriteErrorAsync(await SendAsync(them, HttpMethod.Post, "/v1/proxy/rules/function",
            $$"""{"domain":"stolen.functions.localhost","functionId":"{{fn}}"}"""), HttpStatusCode.NotFound, "rule_resource_not_found");
        await AssertAppwriteErrorAsync(await them.GetAsync($"/v1/proxy/rules/{rule["$id"]}"), HttpStatusCode.NotFound, "rule_not_found");
        await AssertAppwriteErrorAsync(await them.DeleteAsync($"/v1/proxy/rules/{rule["$id"]}"), HttpStatusCode.NotFound, "rule_not_found");
        var theirList = await ReadJsonAsync(await them.GetAsync("/v1/proxy/rules"), HttpStatusCode.OK);
        Assert.That(theirList["total"]!.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task ListRules_WithAnAttributeNotAllowed_ShouldBe400()
    {
        using var client = V1Client();
        var query = Uri.EscapeDataString("""{"method":"equal","attribute":"workspaceId","values":["x"]}""");

        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/proxy/rules?queries[]=" + query), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task RequestToARulesDomain_ShouldRunTheFunction_AndAnswerWithItsResponse()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync(EchoCode, execute: "any");
        await RuleAsync(client, "echo.functions.localhost", fn);
        using var anonymous = new HttpClient { BaseAddress = TestServer.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Put, "/hello/world?x=1") { Content = new StringContent("payload") };
        request.Headers.Host = "Echo.functions.localhost:5080";
        request.Headers.Add("x-custom", "kept");
        request.Headers.Add("x-appwrite-key", "forged");

        var response = await anonymous.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var executions = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/executions"), HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), body.ToJsonString());
            Assert.That(response.Headers.GetValues("x-from-function").Single(), Is.EqualTo("yes"));
            Assert.That(body["method"]!.GetValue<string>(), Is.EqualTo("PUT"));
            Assert.That(body["path"]!.GetValue<string>(), Is.EqualTo("/hello/world"));
            Assert.That(body["query"]!["x"]!.GetValue<string>(), Is.EqualTo("1"));
            Assert.That(body["body"]!.GetValue<string>(), Is.EqualTo("payload"));
            Assert.That(body["custom"]!.GetValue<string>(), Is.EqualTo("kept"));
            Assert.That(body["platformKey"]!.GetValue<string>(), Is.EqualTo("ephemeral_"), "the caller's x-appwrite-* headers never reach the function");
            Assert.That(body["trigger"]!.GetValue<string>(), Is.EqualTo("http"));
            Assert.That(executions["total"]!.GetValue<int>(), Is.EqualTo(1), "a domain request is recorded like any execution");
            Assert.That(executions["executions"]![0]!["trigger"]!.GetValue<string>(), Is.EqualTo("http"));
        });
    }

    [Test]
    public async Task RequestToARulesDomain_ForAFunctionNotOpenToAnyone_ShouldBe401()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync(EchoCode, execute: "users");
        await RuleAsync(client, "closed.functions.localhost", fn);

        var response = await DomainGetAsync("closed.functions.localhost");

        await AssertAppwriteErrorAsync(response, HttpStatusCode.Unauthorized, "user_unauthorized");
        var executions = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/executions"), HttpStatusCode.OK);
        Assert.That(executions["total"]!.GetValue<int>(), Is.Zero, "nothing ran");
    }

    [Test]
    public async Task RequestToAnUnknownSubdomain_ShouldBe404_AndNeverReachTheApi()
    {
        var unknown = await DomainGetAsync("nobody.functions.localhost");
        var apiPath = await DomainGetAsync("nobody.functions.localhost", "/v1/health/version");

        await AssertAppwriteErrorAsync(unknown, HttpStatusCode.NotFound, "router_host_not_found");
        await AssertAppwriteErrorAsync(apiPath, HttpStatusCode.NotFound, "router_host_not_found");
    }

    [Test]
    public async Task RequestToARulesDomain_AfterTheFunctionIsDeleted_ShouldBe404()
    {
        using var client = V1Client();
        var created = await CreateV1FunctionAsync(client, extra: ""","execute":["any"]""");
        var fn = created["$id"]!.GetValue<string>();
        await RuleAsync(client, "gone.functions.localhost", fn);

        Assert.That((await client.DeleteAsync($"/v1/functions/{fn}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertAppwriteErrorAsync(await DomainGetAsync("gone.functions.localhost"), HttpStatusCode.NotFound, "router_host_not_found");
        var rules = await ReadJsonAsync(await client.GetAsync("/v1/proxy/rules"), HttpStatusCode.OK);
        Assert.That(rules["total"]!.GetValue<int>(), Is.Zero, "the rule went with its function");
    }

    [Test]
    [TestCase(false, TestName = "RequestToARulesDomain_WithABodyOverTheLimit_ShouldBe400_WithoutRunning")]
    [TestCase(true, TestName = "RequestToARulesDomain_WithAMultiByteTextBodyOverTheLimitInBytes_ShouldBe400_WithoutRunning")]
    public async Task RequestToARulesDomain_WithABodyOverTheLimit_ShouldBe400_WithoutRunning(bool multiByteText)
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync(EchoCode, execute: "any");
        await RuleAsync(client, "big.functions.localhost", fn);
        using var anonymous = new HttpClient { BaseAddress = TestServer.BaseAddress };
        // 'é' is two bytes: 5 Mi + 1 of them are fewer characters than the limit but two bytes more than it.
        HttpContent content = multiByteText
            ? new StringContent(new string('é', (5 * 1024 * 1024) + 1), Encoding.UTF8, "text/plain")
            : new ByteArrayContent(new byte[(10 * 1024 * 1024) + 1]);
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.Host = "big.functions.localhost";

        await AssertAppwriteErrorAsync(await anonymous.SendAsync(request), HttpStatusCode.BadRequest, "general_argument_invalid");
        var executions = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{fn}/executions"), HttpStatusCode.OK);
        Assert.That(executions["total"]!.GetValue<int>(), Is.Zero);
    }

    [TestCase("Mixed.Functions.LocalHost")]
    [TestCase("MIXED.FUNCTIONS.LOCALHOST:5080")]
    [TestCase("mixed.functions.localhost.:80")]
    public async Task RequestToARulesDomain_WhateverTheCasePortOrTrailingDotOfItsHost_ShouldRunTheFunction(string host)
    {
        using var client = V1Client();
        await RuleAsync(client, "mixed.functions.localhost", await FunctionWithCodeAsync(EchoCode));

        var response = await DomainGetAsync(host, "/cased");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), body);
        Assert.That(JsonNode.Parse(body)!["path"]!.GetValue<string>(), Is.EqualTo("/cased"));
    }

    [TestCase("functions.localhost")]
    [TestCase("Functions.LocalHost:5080")]
    [TestCase("mixedfunctions.localhost")]
    [TestCase("mixed.functions.localhost.example.com:5080")]
    public async Task RequestToAHostOutsideTheFunctionsDomain_ShouldReachTheApi(string host)
    {
        using var client = V1Client();
        await RuleAsync(client, "mixed.functions.localhost", await FunctionWithCodeAsync(EchoCode));

        var health = await ReadJsonAsync(await DomainGetAsync(host, "/health"), HttpStatusCode.OK);

        Assert.That(health["status"]!.GetValue<string>(), Is.EqualTo("ok"), health.ToJsonString());
    }

    [Test]
    public async Task RequestToARulesDomain_ShouldAnswerABinaryBodyByteForByte_WhileTheRecordKeepsItsText()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync("""
            module.exports = async ({ res }) =>
              res.binary(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 200, { 'content-type': 'application/octet-stream' });
            """);
        await RuleAsync(client, "bytes.functions.localhost", fn);
        var expected = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var response = await DomainGetAsync("bytes.functions.localhost");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var record = await LatestExecutionAsync(client, fn);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(256));
            Assert.That(bytes, Is.EqualTo(expected), "bytes 0x00-0xFF exactly as the function returned them");
            Assert.That(record["responseBody"]!.GetValue<string>(), Is.EqualTo(Encoding.UTF8.GetString(expected)), "the record keeps the body as UTF-8 text");
        });
    }

    [Test]
    public async Task RequestToARulesDomain_ShouldHandTheFunctionTheRequestBytesAsSent()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync("""
            module.exports = async ({ req, res }) => res.binary(req.bodyBinary, 200, { 'content-type': req.headers['content-type'] });
            """);
        await RuleAsync(client, "upload.functions.localhost", fn);
        var sent = Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray();
        using var anonymous = new HttpClient { BaseAddress = TestServer.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = new ByteArrayContent(sent) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        request.Headers.Host = "upload.functions.localhost";

        var response = await anonymous.SendAsync(request);
        var echoed = await response.Content.ReadAsByteArrayAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
            Assert.That(echoed, Is.EqualTo(sent), "bytes 0xFF-0x00 there and back, untouched");
        });
    }

    [Test]
    public async Task RequestToARulesDomain_ShouldAnswerAGzipTheFunctionMade_Intact()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync("""
            const zlib = require('node:zlib');
            module.exports = async ({ res }) => res.binary(zlib.gzipSync('squeezed by the function '.repeat(40)), 200, { 'content-type': 'application/gzip' });
            """);
        await RuleAsync(client, "gzip.functions.localhost", fn);

        var response = await DomainGetAsync("gzip.functions.localhost");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var text = new StreamReader(gzip, Encoding.UTF8);

        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/gzip"));
            Assert.That(bytes[..2], Is.EqualTo(new byte[] { 0x1f, 0x8b }), "gzip's magic number");
        });
        Assert.That(await text.ReadToEndAsync(), Is.EqualTo(string.Concat(Enumerable.Repeat("squeezed by the function ", 40))));
    }

    [Test]
    public async Task RequestToARulesDomain_ShouldAnswerATextBodyAsItsUtf8Bytes_AndRecordTheSameText()
    {
        using var client = V1Client();
        const string Text = "héllo ✓ 😀 from the domain";
        var fn = await FunctionWithCodeAsync($$"""
            module.exports = async ({ res }) => res.send('{{Text}}', 200, { 'content-type': 'text/plain; charset=utf-8' });
            """);
        await RuleAsync(client, "text.functions.localhost", fn);

        var response = await DomainGetAsync("text.functions.localhost");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var record = await LatestExecutionAsync(client, fn);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(bytes, Is.EqualTo(Encoding.UTF8.GetBytes(Text)));
            Assert.That(record["responseBody"]!.GetValue<string>(), Is.EqualTo(Text));
        });
    }

    [Test]
    public async Task RequestToARulesDomain_AnsweredWith204AndABody_ShouldBe204_WithoutTheBody()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync("module.exports = async ({ res }) => res.send('not for a 204', 204);");
        await RuleAsync(client, "empty.functions.localhost", fn);

        var response = await DomainGetAsync("empty.functions.localhost");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task HeadRequestToARulesDomain_ShouldAnswerTheFunctionsHeaders_WithoutABody()
    {
        using var client = V1Client();
        var fn = await FunctionWithCodeAsync("module.exports = async ({ res }) => res.send('body of a GET', 200, { 'x-from-function': 'head' });");
        await RuleAsync(client, "head.functions.localhost", fn);
        using var anonymous = new HttpClient { BaseAddress = TestServer.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Head, "/");
        request.Headers.Host = "head.functions.localhost";

        var response = await anonymous.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.GetValues("x-from-function").Single(), Is.EqualTo("head"));
        });
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    private static async Task RuleAsync(HttpClient client, string domain, string functionId) =>
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Post, "/v1/proxy/rules/function",
            $$"""{"domain":"{{domain}}","functionId":"{{functionId}}"}"""), HttpStatusCode.Created);

    private static async Task<JsonNode> LatestExecutionAsync(HttpClient client, string functionId)
    {
        var executions = await ReadJsonAsync(await client.GetAsync($"/v1/functions/{functionId}/executions"), HttpStatusCode.OK);
        Assert.That(executions["total"]!.GetValue<int>(), Is.EqualTo(1), executions.ToJsonString());
        return executions["executions"]![0]!;
    }

    private static async Task<HttpResponseMessage> DomainGetAsync(string host, string path = "/")
    {
        using var anonymous = new HttpClient { BaseAddress = TestServer.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        return await anonymous.SendAsync(request);
    }

    /// <summary>A function of the default workspace with one file of code, executable by <paramref name="execute"/>.</summary>
    private async Task<string> FunctionWithCodeAsync(string code, string execute = "any")
    {
        var function = await CreateFunctionAsync("domain-served");
        var id = function["id"]!.GetValue<string>();
        var versionId = function["defaultVersionId"]!.GetValue<string>();
        await ReadJsonAsync(await Admin.PutAsJsonAsync($"/api/function-versions/{versionId}/files", new { files = new[] { new { path = "index.js", content = code } } }), HttpStatusCode.OK);
        using var client = V1Client();
        await ReadJsonAsync(await SendAsync(client, HttpMethod.Put, $"/v1/functions/{id}", $$"""{"name":"domain-served","execute":["{{execute}}"]}"""), HttpStatusCode.OK);
        return id;
    }
}
