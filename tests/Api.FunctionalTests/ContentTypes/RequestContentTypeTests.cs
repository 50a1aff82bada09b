using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FunctionsPlatform.Api.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace FunctionsPlatform.Api.FunctionalTests.ContentTypes;

/// <summary>
/// Every /api route that takes a body, found from the running server's own route table, answers a wrong content type
/// with 415 and a broken body with 400, both as problem details: never a 500.
/// </summary>
public sealed class RequestContentTypeTests : FunctionalTestBase
{
    private static readonly string[] BodyMethods = ["POST", "PUT", "PATCH"];

    /// <summary>The /api write routes that take no body at all (their verb is the whole request).</summary>
    private static readonly string[] BodilessRoutes =
    [
        "POST /api/functions/{id}/restore",
        "POST /api/function-versions/{id}/restore",
        "POST /api/function-versions/{id}/set-default",
    ];

    private sealed record BodyRoute(string Method, string Pattern, bool Optional)
    {
        public string Url => "/" + Pattern.TrimStart('/').Replace("{id}", "x_missing", StringComparison.Ordinal);

        public override string ToString() => $"{Method} {Pattern}";
    }

    private static IEnumerable<(string Method, RouteEndpoint Endpoint)> ApiWriteRoutes() =>
        TestServer.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Where(BodyMethods.Contains).Select(m => (m, e)));

    private static List<BodyRoute> BodyRoutes() =>
        [.. ApiWriteRoutes()
            .Where(r => r.Endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 })
            .Select(r => new BodyRoute(r.Method, "/" + r.Endpoint.RoutePattern.RawText!.TrimStart('/'), r.Endpoint.Metadata.GetMetadata<IAcceptsMetadata>()!.IsOptional))];

    private static IEnumerable<TestCaseData> WrongContentTypes()
    {
        yield return new TestCaseData("form", (Func<HttpContent?>)(() => new FormUrlEncodedContent([new("name", "x")])));
        yield return new TestCaseData("text/plain", (Func<HttpContent?>)(() => new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain")));
        yield return new TestCaseData("none", (Func<HttpContent?>)(() => NoContentType("""{"name":"x"}""")));
        yield return new TestCaseData("xml", (Func<HttpContent?>)(() => new StringContent("<name>x</name>", Encoding.UTF8, "application/xml")));
        yield return new TestCaseData("multipart", (Func<HttpContent?>)(() => new MultipartFormDataContent { { new StringContent("x"), "name" } }));
        yield return new TestCaseData("octet-stream", (Func<HttpContent?>)(() => new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }));
        yield return new TestCaseData("unparsable", (Func<HttpContent?>)(() => WithRawContentType("""{"name":"x"}""", "json")));
    }

    private static ByteArrayContent NoContentType(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = null;
        return content;
    }

    private static ByteArrayContent WithRawContentType(string body, string contentType)
    {
        var content = NoContentType(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    [Test]
    public void EveryApiWriteRoute_ShouldDeclareItsBodyContentTypes_OrBeKnownBodiless()
    {
        var undeclared = ApiWriteRoutes()
            .Where(r => r.Endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not { ContentTypes.Count: > 0 })
            .Select(r => $"{r.Method} /{r.Endpoint.RoutePattern.RawText!.TrimStart('/')}")
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(undeclared, Is.EquivalentTo(BodilessRoutes), "a route that reads a body must declare it with .Accepts<T>(...)");
            Assert.That(BodyRoutes(), Has.Count.GreaterThanOrEqualTo(13));
        });
    }

    [TestCaseSource(nameof(WrongContentTypes))]
    public async Task EveryBodyRoute_WithWrongContentType_ShouldBe415ProblemDetails(string name, Func<HttpContent?> content)
    {
        var failures = new List<string>();
        foreach (var route in BodyRoutes())
        {
            using var response = await Admin.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), route.Url) { Content = content() });
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.UnsupportedMediaType || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !text.Contains("\"status\":415", StringComparison.Ordinal))
            {
                failures.Add($"{route} with {name}: {(int)response.StatusCode} {text}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [TestCase("{", TestName = "EveryBodyRoute_WithMalformedJson_ShouldBe400")]
    [TestCase("[1,2]", TestName = "EveryBodyRoute_WithJsonArray_ShouldBe400")]
    [TestCase("\"text\"", TestName = "EveryBodyRoute_WithJsonString_ShouldBe400")]
    [TestCase("{\"surely_unknown_property\":1}", TestName = "EveryBodyRoute_WithUnknownProperty_ShouldBe400")]
    [TestCase("not json at all", TestName = "EveryBodyRoute_WithText_ShouldBe400")]
    public async Task EveryBodyRoute_WithBrokenJson_ShouldBe400ProblemDetails(string body)
    {
        var failures = new List<string>();
        foreach (var route in BodyRoutes())
        {
            using var response = await SendJsonAsync(Admin, new HttpMethod(route.Method), route.Url, body);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{route}: {(int)response.StatusCode} {text}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task EveryBodyRoute_WithNoBody_ShouldBe400WhenRequired_AndReachTheHandlerWhenOptional()
    {
        var failures = new List<string>();
        foreach (var route in BodyRoutes())
        {
            foreach (var withType in new[] { true, false })
            {
                var content = NoContentType("");
                if (withType)
                {
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }

                using var response = await Admin.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), route.Url) { Content = content });
                var text = await response.Content.ReadAsStringAsync();
                // Optional bodies reach the handler, which does not find the made-up id.
                var expected = route.Optional ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
                if (response.StatusCode != expected || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{route} ({(withType ? "application/json" : "no type")}, empty): {(int)response.StatusCode} {text}");
                }
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task Invoke_WithStructuredJsonType_ShouldBeRead()
    {
        var function = await CreateFunctionAsync();
        var content = new StringContent("""{"args":{}}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");

        using var response = await Admin.PostAsync($"/api/functions/{function["id"]}/invoke", content);

        // The function has no code: the body was accepted and the run reports that, as a 200 with ok=false.
        var result = await ReadJsonAsync(response, HttpStatusCode.OK);
        Assert.That(result["ok"]!.GetValue<bool>(), Is.False);
    }
}
