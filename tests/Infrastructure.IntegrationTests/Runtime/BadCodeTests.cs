using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

public sealed class BadCodeTests
{
    private static RuntimeTestHost Host => SharedRuntime.Host;

    [Test]
    public async Task NodeSyntaxError_FailsToLoadWithTheParserMessage()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", "module.exports = async (context) => { return (;", functionId: "fun_syntax"));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.LoadFailed));
        Assert.That(result.Errors, Does.Contain("SyntaxError").And.Contain("index.js"));
        await LimitsTests.AssertStillServes();
    }

    [Test]
    public async Task PythonSyntaxError_FailsToLoadWithTheParserMessage()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py", "def main(context)\n    return 1\n", functionId: "fun_syntax_py"));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.LoadFailed));
        Assert.That(result.Errors, Does.Contain("SyntaxError"));
    }

    [TestCase("node", "index.js", "module.exports = async ({ res }) => res.text('x', 42);")]
    [TestCase("python", "main.py", "def main(context):\n    return context.res.text('x', 1000)\n")]
    public async Task InvalidStatusCode_IsAFunctionErrorAndTheProcessKeepsServing(string runtime, string entrypoint, string code)
    {
        var invocation = RuntimeTestHost.Invocation(runtime == "node" ? Host.NodeId : Host.PythonId, entrypoint, code, functionId: "fun_bad_status_" + runtime);

        var first = await Host.RunAsync(invocation);
        var second = await Host.RunAsync(invocation);

        Assert.That((first.StatusCode, first.Failure), Is.EqualTo((500, RuntimeFailure.FunctionError)), first.Errors);
        Assert.That(first.Errors, Does.Contain("Invalid status code"));
        Assert.That(second.ProcessId, Is.EqualTo(first.ProcessId), "a user error is not a crash: the process is reused");
    }

    [TestCase("node", "index.js", "module.exports = async ({ res }) => res.text('ok', 200, { 'x-a': 'a\\0b', 'content-length': '1', 'x-fp-forged': '1' });")]
    [TestCase("python", "main.py", "def main(context):\n    return context.res.text('ok', 200, {'x-a': 'a\\0b', 'content-length': '1', 'x-fp-forged': '1'})\n")]
    public async Task HeadersThatWouldBreakTheFraming_AreNeutralised(string runtime, string entrypoint, string code)
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(runtime == "node" ? Host.NodeId : Host.PythonId, entrypoint, code, functionId: "fun_nul_header_" + runtime));

        Assert.That(result.BodyText, Is.EqualTo("ok"), result.Errors);
        Assert.That(result.Headers, Does.Contain(new KeyValuePair<string, string>("x-a", "a b")));
        Assert.That(result.Headers.Select(h => h.Key), Has.None.EqualTo("content-length").And.None.EqualTo("x-fp-forged"));
    }

    [Test]
    public async Task MissingEntrypoint_FailsWithoutStartingAProcess()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", "module.exports = async ({ res }) => res.text('x');", functionId: "fun_missing") with
        {
            Code = CodeBundle.FromFiles("src/absent.js", [new("index.js", "module.exports = 1;")]),
        };

        var result = await Host.RunAsync(invocation);

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.LoadFailed));
        Assert.That(result.Errors, Does.Contain("Entrypoint 'src/absent.js' was not found"));
    }

    [Test]
    public async Task NoHandlerExport_FailsToLoad()
    {
        var node = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", "module.exports = { answer: 42 };", functionId: "fun_noexport"));
        var python = await Host.RunAsync(RuntimeTestHost.Invocation(Host.PythonId, "main.py", "answer = 42\n", functionId: "fun_noexport_py"));

        Assert.That(node.Errors, Does.Contain("exports no handler"));
        Assert.That(python.Errors, Does.Contain("no main(context)"));
        Assert.That((node.Failure, python.Failure), Is.EqualTo((RuntimeFailure.LoadFailed, RuntimeFailure.LoadFailed)));
    }

    [Test]
    public async Task ExitAtImport_FailsToLoadWithTheExitCode()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation(Host.NodeId, "index.js", "console.error('bye'); process.exit(5);", functionId: "fun_exit_import"));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.LoadFailed));
        Assert.That(result.Errors, Does.Contain("code 5"));
    }

    [Test]
    public async Task PathEscapingTheBundle_IsRefused()
    {
        var invocation = RuntimeTestHost.Invocation(Host.NodeId, "index.js", "", functionId: "fun_escape") with
        {
            Code = CodeBundle.FromFiles("index.js", [new("index.js", "module.exports = 1;"), new("../../evil.js", "x")]),
        };

        var result = await Host.RunAsync(invocation);

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.LoadFailed));
        Assert.That(result.Errors, Does.Contain("escapes the code bundle"));
    }

    [Test]
    public async Task UnknownRuntime_FailsAsUnavailable()
    {
        var result = await Host.RunAsync(RuntimeTestHost.Invocation("ruby-3.3", "main.rb", "", functionId: "fun_ruby"));

        Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.RuntimeUnavailable));
    }
}
