using System.Net;
using System.Text.RegularExpressions;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>The /v1 error body, system routes, authentication, workspaces and response formats.</summary>
public sealed partial class AppwriteConventionsTests : AppwriteTestBase
{
    [Test]
    public async Task UnknownRoute_ShouldBeRouteNotFound()
    {
        using var client = V1Client();
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/no/such/route"), HttpStatusCode.NotFound, "general_route_not_found");
    }

    [Test]
    public async Task WrongMethod_ShouldAnswerAppwriteBody()
    {
        using var client = V1Client();
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Patch, "/v1/health/version", "{}"), HttpStatusCode.MethodNotAllowed, "general_route_not_found");
    }

    [Test]
    public async Task MalformedJson_ShouldBeArgumentInvalid()
    {
        using var client = V1Client();
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions", "{\"name\":"), HttpStatusCode.BadRequest, "general_argument_invalid");
    }

    [Test]
    public async Task WrongType_ShouldBeArgumentInvalidNamingTheField()
    {
        using var client = V1Client();
        var message = await AssertAppwriteErrorAsync(
            await SendAsync(client, HttpMethod.Post, "/v1/functions", """{"functionId":"a","name":"n","runtime":"x","timeout":{"no":1}}"""),
            HttpStatusCode.BadRequest, "general_argument_invalid");
        Assert.That(message, Does.Contain("timeout"));
    }

    [Test]
    public async Task NoKey_ShouldBe401()
    {
        using var client = V1Client(key: null);
        await AssertAppwriteErrorAsync(await client.GetAsync("/v1/functions/any"), HttpStatusCode.Unauthorized, "general_unauthorized_scope");
    }

    [Test]
    public async Task BearerToken_ShouldBeAcceptedLikeTheKeyHeader()
    {
        using var client = V1Client(key: null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestServer.AdminKey);
        await ReadJsonAsync(await client.GetAsync("/v1/functions/specifications"), HttpStatusCode.OK);
    }

    [Test]
    public async Task MissingScope_ShouldBe403()
    {
        var tenant = await CreateTenantAsync("functions.read");
        tenant.Client.Dispose();
        var key = await MintKeyAsync(tenant.UserId, "functions.read");
        using var client = V1Client(key, tenant.WorkspaceId);
        await AssertAppwriteErrorAsync(await SendAsync(client, HttpMethod.Post, "/v1/functions", """{"functionId":"unique()","name":"n","runtime":"node-20"}"""), HttpStatusCode.Forbidden, "general_unauthorized_scope");
    }

    [Test]
    public async Task MissingOrUnknownProject_ShouldBeProjectNotFound()
    {
        using var none = V1Client(project: null);
        await AssertAppwriteErrorAsync(await none.GetAsync("/v1/functions/specifications"), HttpStatusCode.NotFound, "project_not_found");
        using var unknown = V1Client(project: "no-such-workspace");
        await AssertAppwriteErrorAsync(await unknown.GetAsync("/v1/functions/specifications"), HttpStatusCode.NotFound, "project_not_found");
    }

    [Test]
    public async Task HealthVersion_ShouldAnswerWithoutAuthentication()
    {
        using var client = V1Client(key: null, project: null);
        var body = await ReadJsonAsync(await client.GetAsync("/v1/health/version"), HttpStatusCode.OK);
        Assert.That(body["version"]!.GetValue<string>(), Is.EqualTo("1.9.6"));
    }

    [Test]
    public async Task Ping_ShouldAnswerPong()
    {
        using var client = V1Client();
        var response = await client.GetAsync("/v1/ping");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Pong!"));
    }

    [Test]
    public async Task ProxyRules_ShouldBeAnEmptyList()
    {
        using var client = V1Client();
        var body = await ReadJsonAsync(await client.GetAsync("/v1/proxy/rules"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(body["total"]!.GetValue<int>(), Is.Zero);
            Assert.That(body["rules"]!.AsArray(), Is.Empty);
        });
    }

    [Test]
    public async Task Runtimes_ShouldListAppwriteIdsOfTheHostsInterpreters()
    {
        using var client = V1Client(key: null);
        var body = await ReadJsonAsync(await client.GetAsync("/v1/functions/runtimes"), HttpStatusCode.OK);
        var ids = body["runtimes"]!.AsArray().Select(r => r!["$id"]!.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(body["total"]!.GetValue<int>(), Is.EqualTo(ids.Count));
            Assert.That(ids, Has.Some.Matches<string>(id => NodeId().IsMatch(id)));
            Assert.That(ids, Has.Some.Matches<string>(id => PythonId().IsMatch(id)));
            var node = body["runtimes"]!.AsArray().First(r => r!["key"]!.GetValue<string>() == "node")!;
            Assert.That(node["name"]!.GetValue<string>(), Is.EqualTo("Node.js"));
            Assert.That(node["supports"]!.AsArray(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Specifications_ShouldFitTheHost()
    {
        using var client = V1Client();
        var body = await ReadJsonAsync(await client.GetAsync("/v1/functions/specifications"), HttpStatusCode.OK);
        var specs = body["specifications"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(specs.Select(s => s!["slug"]!.GetValue<string>()), Does.Contain("s-0.5vcpu-512mb"));
            Assert.That(specs.All(s => s!["cpus"]!.GetValue<double>() <= Environment.ProcessorCount), Is.True);
            Assert.That(specs.All(s => s!["enabled"]!.GetValue<bool>()), Is.True);
        });
    }

    [Test]
    public async Task ResponseFormat_ShouldShapeTheFunctionModel()
    {
        using var newest = V1Client(responseFormat: null);
        var id = (await CreateV1FunctionAsync(newest))["$id"]!.GetValue<string>();
        using var cli = V1Client(responseFormat: "1.8.0");
        using var legacy = V1Client(responseFormat: "1.6.0");

        var current = await ReadJsonAsync(await newest.GetAsync($"/v1/functions/{id}"), HttpStatusCode.OK);
        var single = await ReadJsonAsync(await cli.GetAsync($"/v1/functions/{id}"), HttpStatusCode.OK);
        var old = await ReadJsonAsync(await legacy.GetAsync($"/v1/functions/{id}"), HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(current.AsObject().ContainsKey("runtimeSpecification"), Is.True);
            Assert.That(current.AsObject().ContainsKey("specification"), Is.False);
            Assert.That(single["specification"]!.GetValue<string>(), Is.EqualTo(current["runtimeSpecification"]!.GetValue<string>()));
            Assert.That(single.AsObject().ContainsKey("buildSpecification"), Is.False);
            Assert.That(old.AsObject().ContainsKey("deployment"), Is.True);
            Assert.That(old.AsObject().ContainsKey("latestDeploymentId"), Is.False);
        });
    }

    [GeneratedRegex(@"^node-\d+(\.\d+)?$")]
    private static partial Regex NodeId();

    [GeneratedRegex(@"^python-3\.\d+$")]
    private static partial Regex PythonId();
}
