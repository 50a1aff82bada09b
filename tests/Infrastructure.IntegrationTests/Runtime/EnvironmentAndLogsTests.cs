using System.Text.Json;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class EnvironmentAndLogsTests
{
    private static RuntimeTestHost Host => SharedRuntime.Host;

    [OneTimeSetUp]
    public void PlantHostSecret() => Environment.SetEnvironmentVariable("FP_HOST_SECRET", "leak");

    [Test]
    public async Task Node_SeesFunctionVariablesAndPlatformVariablesOnly()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js",
            "module.exports = async ({ res }) => res.json(process.env);", functionId: "fun_env_node",
            variables: new Dictionary<string, string> { ["GREETING"] = "hi" }));

        AssertEnvironment(result, "Node.js");
    }

    [Test]
    public async Task Python_SeesFunctionVariablesAndPlatformVariablesOnly()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py",
            "import os\ndef main(context):\n    return context.res.json(dict(os.environ))\n", functionId: "fun_env_py",
            variables: new Dictionary<string, string> { ["GREETING"] = "hi" }));

        AssertEnvironment(result, "Python");
    }

    [Test]
    public async Task Unsandboxed_SeesFunctionVariablesAndPlatformVariablesOnly()
    {
        using var host = new RuntimeTestHost(o => o.Sandbox = "none");
        var result = await host.RunAsync(RuntimeTestHost.Invocation(host.NodeId, "index.js",
            "module.exports = async ({ res }) => res.json(process.env);", functionId: "fun_env_unsandboxed",
            variables: new Dictionary<string, string> { ["GREETING"] = "hi" }));

        AssertEnvironment(result, "Node.js");
    }

    [Test]
    public async Task Node_CapturesContextLogErrorAndConsolePerRequest()
    {
        const string code = """
            module.exports = async (context) => {
              context.log('hello', { n: 1 });
              console.log('native', context.req.bodyText);
              context.error('bad thing');
              console.error('native error');
              return context.res.text('done');
            };
            """;
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", code, RuntimeRequest.Create(body: "first"), functionId: "fun_logs_node");

        var first = await Host.RunAsync(invocation);
        var second = await Host.RunAsync(invocation with { Request = RuntimeRequest.Create(body: "second") });

        Assert.That(first.Logs, Is.EqualTo("hello {\"n\":1}\nnative first\n"));
        Assert.That(first.Errors, Is.EqualTo("bad thing\nnative error\n"));
        Assert.That(second.Logs, Does.Contain("native second").And.Not.Contain("first"), "logs are per request");
    }

    [Test]
    public async Task Python_CapturesContextLogErrorAndPrint()
    {
        const string code = """
            import sys
            def main(context):
                context.log("hello", {"n": 1})
                print("native")
                context.error("bad thing")
                print("to stderr", file=sys.stderr)
                return context.res.text("done")
            """;

        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py", code, functionId: "fun_logs_py"));

        Assert.That(result.Logs, Is.EqualTo("hello {\"n\": 1}\nnative\n"));
        Assert.That(result.Errors, Is.EqualTo("bad thing\nto stderr\n"));
    }

    [Test]
    public async Task Node_Throw_FailsWithStackInErrors()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js",
            "module.exports = async (context) => { context.log('before'); throw new Error('kaboom'); };", functionId: "fun_throw_node"));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.FunctionError));
        Assert.That(result.StatusCode, Is.EqualTo(500));
        Assert.That(result.Errors, Does.Contain("Error: kaboom").And.Contain("index.js"));
        Assert.That(result.Logs, Is.EqualTo("before\n"));
    }

    [Test]
    public async Task Python_Raise_FailsWithTracebackInErrors()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py",
            "def main(context):\n    raise ValueError('kaboom')\n", functionId: "fun_throw_py"));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.FunctionError));
        Assert.That(result.Errors, Does.Contain("ValueError: kaboom").And.Contain("Traceback"));
    }

    [Test]
    public async Task Node_ReturningNothing_FailsWithAppwriteMessage()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", "module.exports = async () => {};", functionId: "fun_noreturn"));

        Assert.That(result.StatusCode, Is.EqualTo(500));
        Assert.That(result.Errors, Does.Contain("Return statement missing"));
    }

    private static void AssertEnvironment(RuntimeResult result, string runtimeName)
    {
        Assert.That(result.Succeeded, Is.True, result.Errors);
        var env = JsonSerializer.Deserialize<Dictionary<string, string>>(result.Body)!;
        Assert.Multiple(() =>
        {
            Assert.That(env["GREETING"], Is.EqualTo("hi"));
            Assert.That(env["APPWRITE_FUNCTION_ID"], Does.StartWith("fun_env_"));
            Assert.That(env["APPWRITE_FUNCTION_NAME"], Is.EqualTo("Test function"));
            Assert.That(env["APPWRITE_FUNCTION_DEPLOYMENT"], Is.EqualTo("dep_1"));
            Assert.That(env["APPWRITE_FUNCTION_RUNTIME_NAME"], Is.EqualTo(runtimeName));
            Assert.That(env["APPWRITE_FUNCTION_RUNTIME_VERSION"], Is.Not.Empty);
            Assert.That(env["PATH"], Is.EqualTo("/usr/local/bin:/usr/bin:/bin"));
            Assert.That(env.Keys, Has.None.EqualTo("FP_HOST_SECRET"), "the host environment must not leak");
            Assert.That(env.Keys, Has.None.AnyOf("OLDPWD", "SHLVL"), "nor the launcher shell's");
            Assert.That(env.GetValueOrDefault("PWD", "/code"), Is.EqualTo("/code"), "bwrap sets PWD to the code directory; the launcher's must not leak");
        });
    }
}
