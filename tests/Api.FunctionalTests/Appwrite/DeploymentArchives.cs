using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace FunctionsPlatform.Api.FunctionalTests.Appwrite;

/// <summary>Deployment archives and the multipart bodies node-appwrite sends them in.</summary>
internal static class DeploymentArchives
{
    public const string NodeCode = "module.exports = async ({ res }) => res.json({ from: 'deployment', answer: require('./answer.json').value });";

    public static byte[] NodeFunction(int answer = 42, int paddingBytes = 0) => TarGz(
        ("index.js", Encoding.UTF8.GetBytes(NodeCode)),
        ("answer.json", Encoding.UTF8.GetBytes($"{{\"value\":{answer}}}")),
        ("padding.bin", RandomBytes(paddingBytes)));

    public static byte[] TarGz(params (string Name, byte[] Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in files.Where(f => f.Content.Length > 0 || f.Name != "padding.bin"))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Random (incompressible) bytes, so an archive is as large as asked.</summary>
    public static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The form in node-appwrite's order: entrypoint, commands, code, activate.</summary>
    public static MultipartFormDataContent Form(byte[] code, bool? activate = true, string? entrypoint = "index.js", string? commands = null, string fileName = "code.tar.gz")
    {
        var form = new MultipartFormDataContent();
        if (entrypoint is not null)
        {
            form.Add(new StringContent(entrypoint), "entrypoint");
        }

        if (commands is not null)
        {
            form.Add(new StringContent(commands), "commands");
        }

        var file = new ByteArrayContent(code);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "code", fileName);
        if (activate is { } a)
        {
            form.Add(new StringContent(a ? "true" : "false"), "activate");
        }

        return form;
    }
}
