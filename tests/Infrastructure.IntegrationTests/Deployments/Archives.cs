using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Deployments;

/// <summary>Builds test archives: well-formed ones with <see cref="TarWriter"/>, hostile ones from raw header bytes where it refuses.</summary>
internal static class Archives
{
    public static byte[] TarGz(Action<TarWriter> write) => Gzip(Tar(write));

    public static byte[] Tar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(tar);
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    public static void FileEntry(TarWriter tar, string name, string content, UnixFileMode? mode = null)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
        if (mode is { } m)
        {
            entry.Mode = m;
        }

        tar.WriteEntry(entry);
    }

    public static void Link(TarWriter tar, TarEntryType type, string name, string target) =>
        tar.WriteEntry(new PaxTarEntry(type, name) { LinkName = target });

    public static void DirEntry(TarWriter tar, string name) => tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name));

    /// <summary>A ustar header block written by hand: any name bytes, any type flag, any size field.</summary>
    public static byte[] RawHeader(byte[] name, char type, long size, byte[]? linkName = null)
    {
        var header = new byte[512];
        name.CopyTo(header, 0);
        Ascii("0000644\0").CopyTo(header, 100);
        Ascii("0000000\0").CopyTo(header, 108);
        Ascii("0000000\0").CopyTo(header, 116);
        Ascii(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Ascii("14000000000\0").CopyTo(header, 136);
        header[156] = (byte)type;
        linkName?.CopyTo(header, 157);
        Ascii("ustar\0").CopyTo(header, 257);
        Ascii("00").CopyTo(header, 263);
        for (var i = 148; i < 156; i++)
        {
            header[i] = (byte)' ';
        }

        var sum = header.Sum(b => b);
        Ascii(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    /// <summary>Header, data padded to 512, and (unless <paramref name="endMarker"/> is false) the two zero blocks that end an archive.</summary>
    public static byte[] RawTar(IEnumerable<(byte[] Header, byte[] Data)> entries, bool endMarker = true)
    {
        using var buffer = new MemoryStream();
        foreach (var (header, data) in entries)
        {
            buffer.Write(header);
            buffer.Write(data);
            buffer.Write(new byte[(512 - (data.Length % 512)) % 512]);
        }

        if (endMarker)
        {
            buffer.Write(new byte[1024]);
        }

        return buffer.ToArray();
    }

    /// <summary>A pax extended header record: "<c>len key=value\n</c>", the length counting itself.</summary>
    public static byte[] PaxRecord(string key, byte[] value)
    {
        var body = Encoding.UTF8.GetBytes($" {key}=").Concat(value).Concat(new[] { (byte)'\n' }).ToArray();
        var length = body.Length + 1;
        while ((length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + body.Length) != length)
        {
            length++;
        }

        return Encoding.ASCII.GetBytes(length.ToString(System.Globalization.CultureInfo.InvariantCulture)).Concat(body).ToArray();
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
