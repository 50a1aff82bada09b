using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>Deployment archives (.tar.gz) run like file bundles, and a hostile archive cannot write or link outside its bundle.</summary>
public sealed class ArchiveBundleTests
{
    private static RuntimeTestHost Host => SharedRuntime.Host;

    private static byte[] TarGz(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(tar);
        }

        return buffer.ToArray();
    }

    private static void File(TarWriter tar, string name, string content) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });

    private static RuntimeInvocation FromArchive(byte[] archive, string key) =>
        RuntimeTestHost.Invocation(Host.NodeId, "index.js", "", functionId: "fun_" + key) with
        {
            Code = CodeBundle.FromArchive("index.js", key, _ => Task.FromResult<Stream>(new MemoryStream(archive))),
        };

    [Test]
    public async Task Archive_ShouldRunItsEntrypoint()
    {
        var archive = TarGz(tar => File(tar, "index.js", "module.exports = async ({ res }) => res.text('from archive');"));

        var result = await Host.RunAsync(FromArchive(archive, "archive_ok"));

        Assert.That(result.BodyText, Is.EqualTo("from archive"), result.Errors);
    }

    [Test]
    public async Task Archive_WithEntryClimbingOut_ShouldFailAndWriteNothingOutside()
    {
        var outside = Path.Combine(Path.GetDirectoryName(Host.DataDirectory)!, "escaped-" + Guid.NewGuid().ToString("N") + ".js");
        var archive = TarGz(tar =>
        {
            File(tar, "index.js", "module.exports = async ({ res }) => res.text('x');");
            File(tar, "../../../../../../.." + outside, "pwned");
        });

        var result = await Host.RunAsync(FromArchive(archive, "archive_climb"));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(System.IO.File.Exists(outside), Is.False);
    }

    [Test]
    public async Task Archive_WithSymlinkToHostFile_ShouldNotExposeIt()
    {
        var archive = TarGz(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "passwd") { LinkName = "/etc/passwd" });
            File(tar, "index.js", "const fs = require('fs'); module.exports = async ({ res }) => { try { return res.text(fs.readFileSync(__dirname + '/passwd', 'utf8')); } catch (e) { return res.text('blocked: ' + e.code); } };");
        });

        var result = await Host.RunAsync(FromArchive(archive, "archive_link"));

        Assert.That(result.BodyText, Does.Not.Contain("root:"), "the host's /etc/passwd must not be readable through a link in an archive");
    }
}
