using System.Formats.Tar;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Deployments;
using FunctionsPlatform.Infrastructure.Deployments;
using static FunctionsPlatform.Infrastructure.IntegrationTests.Deployments.Archives;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Deployments;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
/// <summary>Hostile archives are refused whole: nothing lands outside, nothing half-extracted is left to run.</summary>
public sealed class SafeArchiveExtractorTests
{
    private static readonly ArchiveLimits Limits = new(10 * 1024 * 1024, 1000);
    private string _work = "";
    private string _target = "";

    [SetUp]
    public void CreateWorkDirectory()
    {
        _work = Path.Combine(Path.GetTempPath(), "fp-extract-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_work, "parent"));
        _target = Path.Combine(_work, "parent", "code");
    }

    [TearDown]
    public void DeleteWorkDirectory() => Directory.Delete(_work, recursive: true);

    private Task ExtractAsync(byte[] archive, ArchiveLimits? limits = null) =>
        new SafeArchiveExtractor().ExtractAsync(new MemoryStream(archive), _target, limits ?? Limits, CancellationToken.None);

    private string Refused(byte[] archive, ArchiveLimits? limits = null)
    {
        var error = Assert.ThrowsAsync<InvalidArchiveException>(() => ExtractAsync(archive, limits));
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(_target), Is.False, "nothing half-extracted may be left in place");
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(_work, "parent")), Is.Empty, "the staging directory is removed");
        });
        return error!.Message;
    }

    [Test]
    public async Task Extract_WellFormedArchive_ShouldWriteFilesDirectoriesAndInsideLinks()
    {
        var archive = TarGz(tar =>
        {
            DirEntry(tar, "./");
            DirEntry(tar, "./src/");
            FileEntry(tar, "./index.js", "module.exports = 1;");
            FileEntry(tar, "./src/run.sh", "#!/bin/sh", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.SetUser | UnixFileMode.OtherWrite);
            Link(tar, TarEntryType.SymbolicLink, "./src/entry.js", "../index.js");
            Link(tar, TarEntryType.HardLink, "./copy.js", "./index.js");
        });

        await ExtractAsync(archive);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(_target, "index.js")), Is.EqualTo("module.exports = 1;"));
            Assert.That(File.ReadAllText(Path.Combine(_target, "src", "entry.js")), Is.EqualTo("module.exports = 1;"));
            Assert.That(File.ReadAllText(Path.Combine(_target, "copy.js")), Is.EqualTo("module.exports = 1;"));
            var mode = File.GetUnixFileMode(Path.Combine(_target, "src", "run.sh"));
            Assert.That(mode & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute));
            Assert.That(mode & (UnixFileMode.SetUser | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite), Is.EqualTo((UnixFileMode)0));
        });
    }

    [Test]
    public async Task Extract_RepeatedName_ShouldReplaceTheEarlierFileWithoutFollowingALink()
    {
        var outside = Path.Combine(_work, "outside.txt");
        File.WriteAllText(outside, "untouched");
        var archive = TarGz(tar =>
        {
            FileEntry(tar, "a.txt", "first");
            FileEntry(tar, "a.txt", "second");
            Link(tar, TarEntryType.SymbolicLink, "b.txt", "a.txt");
            FileEntry(tar, "b.txt", "replaced link");
        });

        await ExtractAsync(archive);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(_target, "a.txt")), Is.EqualTo("second"));
            Assert.That(new FileInfo(Path.Combine(_target, "b.txt")).LinkTarget, Is.Null);
            Assert.That(File.ReadAllText(Path.Combine(_target, "b.txt")), Is.EqualTo("replaced link"));
            Assert.That(File.ReadAllText(outside), Is.EqualTo("untouched"));
        });
    }

    [Test]
    public void Extract_AbsolutePath_ShouldBeRefused()
    {
        var outside = Path.Combine(_work, "abs.txt");
        Assert.That(Refused(TarGz(tar => FileEntry(tar, outside, "pwned"))), Does.Contain("absolute"));
        Assert.That(File.Exists(outside), Is.False);
    }

    [TestCase("../escape.txt")]
    [TestCase("a/../../escape.txt")]
    [TestCase("./a/./../..")]
    public void Extract_DotDotSegment_ShouldBeRefused(string name)
    {
        Assert.That(Refused(TarGz(tar => FileEntry(tar, name, "pwned"))), Does.Contain(".."));
        Assert.That(File.Exists(Path.Combine(_work, "escape.txt")), Is.False);
    }

    [Test]
    public void Extract_SymbolicLinkToAbsolutePath_ShouldBeRefused() =>
        Assert.That(Refused(TarGz(tar => Link(tar, TarEntryType.SymbolicLink, "passwd", "/etc/passwd"))), Does.Contain("absolute"));

    [Test]
    public void Extract_SymbolicLinkClimbingOut_ShouldBeRefused() =>
        Assert.That(Refused(TarGz(tar => Link(tar, TarEntryType.SymbolicLink, "a/up", "../../../etc"))), Does.Contain("outside"));

    [Test]
    public void Extract_SymbolicLinkLeavingThroughAnotherLink_ShouldBeRefused()
    {
        // Lexically "self/.." is the root; really "self" is the root, so "self/.." is its parent.
        var archive = TarGz(tar =>
        {
            Link(tar, TarEntryType.SymbolicLink, "self", ".");
            Link(tar, TarEntryType.SymbolicLink, "up", "self/..");
        });

        Assert.That(Refused(archive), Does.Contain("outside"));
    }

    [Test]
    public void Extract_EntryWrittenThroughASymbolicLink_ShouldBeRefused()
    {
        var archive = TarGz(tar =>
        {
            DirEntry(tar, "real/");
            Link(tar, TarEntryType.SymbolicLink, "alias", "real");
            FileEntry(tar, "alias/x.js", "through the link");
        });

        Assert.That(Refused(archive), Does.Contain("through the symbolic link"));
    }

    [TestCase("../../etc/passwd")]
    [TestCase("/etc/passwd")]
    [TestCase("never-extracted.js")]
    public void Extract_HardLinkToAnythingButAnEarlierFile_ShouldBeRefused(string target) =>
        Refused(TarGz(tar => Link(tar, TarEntryType.HardLink, "copy", target)));

    [Test]
    public void Extract_HardLinkToASymbolicLink_ShouldBeRefused()
    {
        var archive = TarGz(tar =>
        {
            FileEntry(tar, "a.js", "x");
            Link(tar, TarEntryType.SymbolicLink, "l.js", "a.js");
            Link(tar, TarEntryType.HardLink, "h.js", "l.js");
        });

        Assert.That(Refused(archive), Does.Contain("not a file extracted before"));
    }

    [TestCase(TarEntryType.CharacterDevice)]
    [TestCase(TarEntryType.BlockDevice)]
    [TestCase(TarEntryType.Fifo)]
    public void Extract_DeviceOrFifo_ShouldBeRefused(TarEntryType type) =>
        Assert.That(Refused(TarGz(tar => tar.WriteEntry(new PaxTarEntry(type, "dev")))), Does.Contain("device file or FIFO"));

    [Test]
    public void Extract_NameWithNul_ShouldBeRefused()
    {
        var pax = PaxRecord("path", [(byte)'a', 0, (byte)'b']);
        var tar = RawTar([(RawHeader(Ascii("PaxHeader/ab"), 'x', pax.Length), pax), (RawHeader(Ascii("ab"), '0', 1), [(byte)'x'])]);

        Assert.That(Refused(Gzip(tar)), Does.Contain("NUL"));
    }

    [Test]
    public void Extract_NameWithInvalidUtf8_ShouldBeRefused()
    {
        var tar = RawTar([(RawHeader([(byte)'a', 0xff, 0xfe, (byte)'.', (byte)'j', (byte)'s'], '0', 1), [(byte)'x'])]);

        Assert.That(Refused(Gzip(tar)), Does.Contain("UTF-8"));
    }

    [Test]
    public void Extract_StreamThatIsNotGzip_ShouldBeRefused() =>
        Assert.That(Refused(Encoding.UTF8.GetBytes("module.exports = 1;")), Does.Contain("not gzip"));

    [Test]
    public void Extract_EmptyStream_ShouldBeRefused() => Assert.That(Refused([]), Does.Contain("empty"));

    [Test]
    public void Extract_GzipThatIsNotTar_ShouldBeRefused() =>
        Assert.That(Refused(Gzip(Encoding.UTF8.GetBytes(new string('x', 2000)))), Does.Contain("not a tar archive"));

    [Test]
    public void Extract_GzipCutInTheMiddle_ShouldBeRefused()
    {
        var random = new Random(7);
        var content = new byte[200_000];
        random.NextBytes(content);
        var archive = TarGz(tar => tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "big.bin") { DataStream = new MemoryStream(content) }));

        Assert.That(Refused(archive[..(archive.Length / 2)]), Does.Contain("truncated"));
    }

    [Test]
    public void Extract_TarWithoutItsEndBlocks_ShouldBeRefusedAsTruncated()
    {
        var tar = RawTar([(RawHeader(Ascii("index.js"), '0', 1), [(byte)'x'])], endMarker: false);

        Assert.That(Refused(Gzip(tar)), Does.Contain("truncated"));
    }

    [Test]
    public void Extract_GzipBomb_ShouldStopAtTheByteLimit()
    {
        var zeros = new byte[40 * 1024 * 1024];
        var archive = TarGz(tar => tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bomb") { DataStream = new MemoryStream(zeros) }));
        Assert.That(archive.Length, Is.LessThan(200_000), "the test archive is a bomb: tiny compressed, large expanded");

        Assert.That(Refused(archive, new ArchiveLimits(4 * 1024 * 1024, 1000)), Does.Contain("expands to more than"));
    }

    [Test]
    public void Extract_ManySmallFilesOverTheByteLimit_ShouldBeRefused()
    {
        var archive = TarGz(tar =>
        {
            for (var i = 0; i < 20; i++)
            {
                FileEntry(tar, $"f{i}.txt", new string('x', 1000));
            }
        });

        Assert.That(Refused(archive, new ArchiveLimits(10_000, 1000)), Does.Contain("expands to more than"));
    }

    [Test]
    public void Extract_MoreEntriesThanAllowed_ShouldBeRefused()
    {
        var archive = TarGz(tar =>
        {
            for (var i = 0; i < 11; i++)
            {
                FileEntry(tar, $"f{i}.txt", "x");
            }
        });

        Assert.That(Refused(archive, new ArchiveLimits(1_000_000, 10)), Does.Contain("more than 10 entries"));
    }

    [Test]
    public void Extract_HugeMetadataEntry_ShouldBeRefusedBeforeItIsBuffered()
    {
        var pax = PaxRecord("comment", Encoding.ASCII.GetBytes(new string('x', 2 * 1024 * 1024)));
        var tar = RawTar([(RawHeader(Ascii("PaxHeader/a"), 'x', pax.Length), pax), (RawHeader(Ascii("a"), '0', 1), [(byte)'x'])]);

        Assert.That(Refused(Gzip(tar)), Does.Contain("metadata entry"));
    }

    [Test]
    public void Extract_UnsupportedEntryType_ShouldBeRefused()
    {
        var tar = RawTar([(RawHeader(Ascii("sparse"), 'S', 0), [])]);

        Refused(Gzip(tar));
    }

    [Test]
    public async Task Extract_IntoATargetThatIsComplete_ShouldAppearOnlyAtTheEnd()
    {
        var archive = TarGz(tar =>
        {
            for (var i = 0; i < 50; i++)
            {
                FileEntry(tar, $"d/f{i}.txt", new string('y', 10_000));
            }
        });

        await ExtractAsync(archive);

        Assert.That(Directory.GetFiles(Path.Combine(_target, "d")), Has.Length.EqualTo(50));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(_work, "parent")), Is.EqualTo(new[] { _target }));
    }
}
