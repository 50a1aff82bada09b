using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class PythonRuntimeTests
{
    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public async Task Main_EchoesMethodPathQueryHeadersAndBody()
    {
        const string code = """
            def main(context):
                req = context.req
                return context.res.json({
                    "method": req.method, "path": req.path, "query": req.query, "header": req.headers.get("x-demo"),
                    "body": req.body, "bodyText": req.body_text,
                })
            """;
        var request = RuntimeRequest.Create("PUT", "/items/7?color=red&size=9", """{"a":1}""", [new("x-demo", "yes"), new("content-type", "application/json")]);

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "src/main.py", code, request, functionId: "fun_py_echo"));

        NodeRuntimeTests.AssertEcho(result);
    }

    [Test]
    public async Task Main_ImportsSiblingModuleAndUsesResponseHelpers()
    {
        const string code = """
            import helper

            async def main(context):
                if context.req.path == "/empty":
                    return context.res.empty()
                return context.res.text(helper.greet(context.req.body_text), 201, {"X-Py": "1"})
            """;
        var invocation = RuntimeTestHost.Invocation(Host.PythonId, "main.py", code, RuntimeRequest.Create("POST", "/", "Ada"),
            functionId: "fun_py_helpers", extraFiles: new CodeFile("helper.py", "def greet(name):\n    return 'hello ' + name\n"));

        var result = await Host.RunAsync(invocation);

        Assert.That(result.Succeeded, Is.True, result.Errors);
        Assert.That((result.StatusCode, result.BodyText), Is.EqualTo((201, "hello Ada")));
        Assert.That(result.Headers, Does.Contain(new KeyValuePair<string, string>("x-py", "1")));
        var empty = await Host.RunAsync(invocation with { Request = RuntimeRequest.Create("GET", "/empty") });
        Assert.That(empty.StatusCode, Is.EqualTo(204));
    }
}
