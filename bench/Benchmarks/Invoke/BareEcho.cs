using System.Diagnostics;

namespace FunctionsPlatform.Benchmarks;

/// <summary>A bare node HTTP server answering the invoke bench's payload as JSON: the ceiling for a node function over HTTP on this machine.</summary>
internal sealed class BareEcho : IDisposable
{
    private const string Script = """
        require('http').createServer((q, s) => {
          const b = [];
          q.on('data', (c) => b.push(c));
          q.on('end', () => { s.setHeader('content-type', 'application/json'); s.end(JSON.stringify({ ok: true, echo: Buffer.concat(b).toString() })); });
        }).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));
        """;

    private readonly Process _process;

    private BareEcho(Process process) => _process = process;

    public int Pid => _process.Id;

    public static BareEcho Start(string node, int port)
    {
        var info = new ProcessStartInfo(node) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(info)!;
        process.StandardOutput.ReadLine(); // "listening"
        return new BareEcho(process);
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
