using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class NodeRuntimeTests
{
    private const string EchoBody = """
        ({ method: context.req.method, path: context.req.path, query: context.req.query, header: context.req.headers['x-demo'],
           body: context.req.body, bodyText: context.req.bodyText })
        """;

    private static RuntimeRequest EchoRequest => RuntimeRequest.Create(
        "PUT", "/items/7?color=red&size=9", """{"a":1}""", [new("x-demo", "yes"), new("content-type", "application/json")]);

    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public async Task CommonJs_EchoesMethodPathQueryHeadersAndBody()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js",
            $"module.exports = async (context) => context.res.json({EchoBody});", EchoRequest, functionId: "fun_cjs"));

        AssertEcho(result);
    }

    [Test]
    public async Task EsModuleInPlainJs_EchoesRequest()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "src/main.js",
            $"export default async (context) => context.res.json({EchoBody});", EchoRequest, functionId: "fun_esm"));

        AssertEcho(result);
    }

    [Test]
    public async Task EsModuleMjs_EchoesRequest()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "main.mjs",
            $"import {{ basename }} from 'node:path';\nexport default async ({{ req, res }}) => res.json({{ ...({EchoBody.Replace("context.", "", StringComparison.Ordinal)}), file: basename(import.meta.url) }});",
            EchoRequest, functionId: "fun_mjs"));

        AssertEcho(result);
    }

    [Test]
    public async Task WorkerStyleFetch_EchoesRequestWithWhatwgTypes()
    {
        const string code = """
            export default {
              async fetch(request, env, ctx) {
                const url = new URL(request.url);
                const body = await request.json();
                return new Response(JSON.stringify({ method: request.method, path: url.pathname, query: { color: url.searchParams.get('color'), size: url.searchParams.get('size') },
                  header: request.headers.get('x-demo'), body, bodyText: JSON.stringify(body), fn: env.APPWRITE_FUNCTION_ID }),
                  { status: 201, headers: { 'content-type': 'application/json', 'x-worker': '1' } });
              }
            };
            """;
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "worker.js", code, EchoRequest, functionId: "fun_worker"));

        Assert.That(result.StatusCode, Is.EqualTo(201), result.Errors);
        Assert.That(result.Headers, Does.Contain(new KeyValuePair<string, string>("x-worker", "1")));
        AssertEcho(result with { StatusCode = 200 });
    }

    [Test]
    public async Task ResponseHelpers_SetStatusHeadersAndBody()
    {
        const string code = """
            module.exports = async ({ req, res }) => {
              switch (req.path) {
                case '/text': return res.text('hello', 202, { 'X-Custom': 'v' });
                case '/send': return res.send('sent', 200);
                case '/empty': return res.empty();
                case '/redirect': return res.redirect('https://example.com/', 302);
                default: return res.json({ ok: true });
              }
            };
            """;
        async Task<RuntimeResult> Run(string path) =>
            await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, RuntimeRequest.Create("GET", path), functionId: "fun_helpers"));

        var text = await Run("/text");
        Assert.That((text.StatusCode, text.BodyText), Is.EqualTo((202, "hello")));
        Assert.That(text.Headers, Does.Contain(new KeyValuePair<string, string>("x-custom", "v")));
        Assert.That((await Run("/send")).BodyText, Is.EqualTo("sent"));
        Assert.That((await Run("/empty")).StatusCode, Is.EqualTo(204));
        var redirect = await Run("/redirect");
        Assert.That(redirect.StatusCode, Is.EqualTo(302));
        Assert.That(redirect.Headers, Does.Contain(new KeyValuePair<string, string>("location", "https://example.com/")));
    }

    internal static void AssertEcho(RuntimeResult result)
    {
        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.That(result.StatusCode, Is.EqualTo(200));
        using var json = JsonDocument.Parse(result.Body);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("method").GetString(), Is.EqualTo("PUT"));
            Assert.That(root.GetProperty("path").GetString(), Is.EqualTo("/items/7"));
            Assert.That(root.GetProperty("query").GetProperty("color").GetString(), Is.EqualTo("red"));
            Assert.That(root.GetProperty("query").GetProperty("size").GetString(), Is.EqualTo("9"));
            Assert.That(root.GetProperty("header").GetString(), Is.EqualTo("yes"));
            Assert.That(root.GetProperty("body").GetProperty("a").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("bodyText").GetString(), Is.EqualTo("""{"a":1}"""));
        });
    }
}
