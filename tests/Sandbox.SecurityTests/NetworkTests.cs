using System.Net;
using System.Net.Sockets;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>
/// <c>Runtime:AllowNetwork=false</c>: a private network namespace with its own loopback, so host loopback services (the
/// management API included) are out of reach. <c>true</c> shares the host's namespace: reachable, as documented.
/// </summary>
public sealed class NetworkTests
{
    private const string NodeConnect = """
        const net = require('node:net');
        module.exports = async ({ req, res }) => res.text(await new Promise((resolve) => {
          const s = net.connect(Number(req.bodyText), '127.0.0.1', () => { s.end(); resolve('connected'); });
          s.on('error', (e) => resolve('blocked:' + e.code));
          s.setTimeout(2000, () => { s.destroy(); resolve('blocked:timeout'); });
        }));
        """;

    private const string PythonConnect = """
        import socket
        def main(context):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(2)
            try:
                s.connect(('127.0.0.1', int(context.req.body_text)))
                return context.res.text('connected')
            except OSError as e:
                return context.res.text('blocked:' + type(e).__name__)
            finally:
                s.close()
        """;

    [TestCase("node", NodeConnect)]
    [TestCase("python", PythonConnect)]
    public async Task NetworkDisabled_HostLoopbackListenerIsUnreachable(string runtime, string code)
    {
        using var host = new SecurityHost(o => o.AllowNetwork = false);
        SharedSandbox.Require(host);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accept = listener.AcceptTcpClientAsync();

        var result = await host.RunAsync(runtime, code, "fun_nonet_" + runtime,
            Application.Abstractions.Runtime.RuntimeRequest.Create(body: port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.That(result.BodyText, Does.StartWith("blocked:"), result.Errors);
        await Task.Delay(100);
        Assert.That(accept.IsCompleted, Is.False, "the host listener must never see a connection");
    }

    [Test]
    public async Task NetworkDisabled_TheServersUnixSocketsAreNotListed()
    {
        using var host = new SecurityHost(o => o.AllowNetwork = false);
        SharedSandbox.Require(host);

        var result = await host.RunAsync("node", "module.exports = async ({ res }) => res.text(require('node:fs').readFileSync('/proc/net/unix', 'utf8'));", "fun_unix");

        Assert.That(result.Succeeded, Is.True, result.Errors);
        // This (server) process's diagnostics socket lives in the host's namespace.
        Assert.That(result.BodyText, Does.Not.Contain($"dotnet-diagnostic-{Environment.ProcessId}-"));
        Assert.That(result.BodyText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, Is.LessThan(10));
    }

    /// <summary>The documented rule: with the network allowed, code shares the host's namespace and reaches its loopback.</summary>
    [Test]
    public async Task NetworkAllowed_SharesTheHostNamespace_SoHostLoopbackIsReachable()
    {
        using var host = new SecurityHost(o => o.AllowNetwork = true);
        SharedSandbox.Require(host);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await host.RunAsync("node", NodeConnect, "fun_net",
            Application.Abstractions.Runtime.RuntimeRequest.Create(body: port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.That(result.BodyText, Is.EqualTo("connected"), result.Errors);
    }
}
