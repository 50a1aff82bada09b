using System.Diagnostics;
using System.Security.Cryptography;
using FunctionsPlatform.Infrastructure.Deployments;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Deployments;

/// <summary>An upload's SHA-256 computed while its parts arrive: in the background, never re-reading what it hashed.</summary>
public sealed class ArchiveDigestTests
{
    private const int MiB = 1024 * 1024;
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("fp-digest-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    private async Task<(string Path, byte[] Data)> ArchiveAsync(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var path = Path.Combine(_directory, "archive");
        await File.WriteAllBytesAsync(path, data);
        return (path, data);
    }

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static async Task UntilHashedAsync(ArchiveDigest digest, long bytes)
    {
        var clock = Stopwatch.StartNew();
        while (digest.Hashed < bytes)
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), $"hashed {digest.Hashed} of {bytes} bytes");
            await Task.Delay(5);
        }
    }

    [Test]
    public async Task Follow_ShouldHashInTheBackgroundWhatItFinishesWithoutReadingItAgain()
    {
        var (path, data) = await ArchiveAsync(3 * MiB);
        var digest = new ArchiveDigest(path);

        digest.Follow(2 * MiB);
        await UntilHashedAsync(digest, 2 * MiB);
        // Bytes hashed before are not read again: what the file holds there now no longer matters.
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            await file.WriteAsync(new byte[2 * MiB]);
        }

        Assert.That(await digest.FinishAsync(data.Length, CancellationToken.None), Is.EqualTo(Sha256(data)));
    }

    [Test]
    public async Task Follow_InSeveralSteps_ShouldGiveTheSha256OfTheWholeArchive()
    {
        var (path, data) = await ArchiveAsync((2 * MiB) + 12345);
        var digest = new ArchiveDigest(path);

        digest.Follow(100);
        digest.Follow(MiB + 7);
        digest.Follow(50); // behind what it follows already: nothing changes
        await UntilHashedAsync(digest, MiB + 7);

        Assert.That(await digest.FinishAsync(data.Length, CancellationToken.None), Is.EqualTo(Sha256(data)));
    }

    [Test]
    public async Task Finish_WithoutAnyFollow_ShouldHashTheWholeArchive()
    {
        var (path, data) = await ArchiveAsync(MiB + 1);

        Assert.That(await new ArchiveDigest(path).FinishAsync(data.Length, CancellationToken.None), Is.EqualTo(Sha256(data)));
    }

    [Test]
    public async Task Finish_WhenTheArchiveEndsBeforeTheFollowedBytes_ShouldLeaveHashingToTheCaller()
    {
        var (path, data) = await ArchiveAsync(1000);
        var digest = new ArchiveDigest(path);

        Assert.That(await digest.FinishAsync(data.Length + 1, CancellationToken.None), Is.Null);
        Assert.That(await ArchiveDigest.OfFileAsync(path, CancellationToken.None), Is.EqualTo(Sha256(data)), "the caller's fallback");
    }

    [Test]
    public async Task Finish_WhenTheArchiveIsGone_ShouldLeaveHashingToTheCaller()
    {
        var digest = new ArchiveDigest(Path.Combine(_directory, "missing"));
        digest.Follow(10);

        Assert.That(await digest.FinishAsync(10, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Finish_AfterAbandon_ShouldLeaveHashingToTheCaller()
    {
        var (path, data) = await ArchiveAsync(MiB);
        var digest = new ArchiveDigest(path);
        digest.Follow(data.Length);
        await UntilHashedAsync(digest, data.Length);

        digest.Abandon();

        Assert.That(await digest.FinishAsync(data.Length, CancellationToken.None), Is.Null);
    }
}
