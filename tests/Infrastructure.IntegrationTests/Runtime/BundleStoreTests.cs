using FunctionsPlatform.Application.Abstractions.Runtime;
using FunctionsPlatform.Infrastructure.Runtime;
using FunctionsPlatform.Infrastructure.Runtime.Bundles;
using Microsoft.Extensions.Options;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Runtime;

/// <summary>Version files on disk: content-addressed, and a known files key skips rehashing without ever pointing at a deleted bundle.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "NUnit's [TearDown] disposes the store after every test.")]
public sealed class BundleStoreTests
{
    private string _data = null!;
    private BundleStore _store = null!;

    [SetUp]
    public void CreateStore()
    {
        _data = Path.Combine(Path.GetTempPath(), "fp-bundles-" + Guid.NewGuid().ToString("N"));
        _store = new BundleStore(new StorageOptions { DataDirectory = _data }, Options.Create(new RuntimeOptions()));
    }

    [TearDown]
    public void DeleteStore()
    {
        _store.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private static CodeBundle Files(string content, string? key) => CodeBundle.FromFiles("index.js", [new CodeFile("index.js", content)], key);

    [Test]
    public async Task Materialize_WhenSameContentUnderAnyKey_ShouldShareOneDirectory()
    {
        var first = await _store.MaterializeAsync(Files("a", "ver_1:s1"), CancellationToken.None);
        var again = await _store.MaterializeAsync(Files("a", "ver_1:s1"), CancellationToken.None);
        var otherKey = await _store.MaterializeAsync(Files("a", "ver_2:s1"), CancellationToken.None);
        var noKey = await _store.MaterializeAsync(Files("a", null), CancellationToken.None);
        var otherContent = await _store.MaterializeAsync(Files("b", "ver_1:s2"), CancellationToken.None);

        Assert.That(new[] { again.Hash, otherKey.Hash, noKey.Hash }, Is.All.EqualTo(first.Hash));
        Assert.That(otherContent.Hash, Is.Not.EqualTo(first.Hash));
        Assert.That(await File.ReadAllTextAsync(otherContent.EntrypointPath), Is.EqualTo("b"));
    }

    [Test]
    public async Task Materialize_WhenTheKnownBundleWasSweptAway_ShouldWriteItAgain()
    {
        var first = await _store.MaterializeAsync(Files("module.exports = 1;", "ver_1:s1"), CancellationToken.None);
        _store.Sweep(everythingUnreferenced: true);
        Assert.That(Directory.Exists(first.Directory), Is.False, "precondition: swept");

        var again = await _store.MaterializeAsync(Files("module.exports = 1;", "ver_1:s1"), CancellationToken.None);

        Assert.That(again.Hash, Is.EqualTo(first.Hash));
        Assert.That(await File.ReadAllTextAsync(again.EntrypointPath), Is.EqualTo("module.exports = 1;"));
    }

    [Test]
    public async Task Sweep_WhenAnUnusedBundleIsPastTheRetention_ShouldDeleteIt()
    {
        var bundle = await _store.MaterializeAsync(Files("module.exports = 2;", "ver_1:s1"), CancellationToken.None);
        Directory.SetLastWriteTimeUtc(bundle.Directory, DateTime.UtcNow.AddHours(-2));

        _store.Sweep();

        Assert.That(Directory.Exists(bundle.Directory), Is.False);
    }

    [Test]
    public async Task Sweep_WhenAnOldBundleWasPreparedAgainJustNow_ShouldKeepIt()
    {
        // Equal code saved again hours after it was first written: the content-addressed directory is old, but it was just
        // prepared for a first call, so the sweep must not take it away before that call.
        var bundle = await _store.MaterializeAsync(Files("module.exports = 3;", "ver_1:s1"), CancellationToken.None);
        Directory.SetLastWriteTimeUtc(bundle.Directory, DateTime.UtcNow.AddHours(-2));

        _store.Touch(bundle.Hash);
        _store.Sweep();

        Assert.That(File.Exists(bundle.EntrypointPath), Is.True);
    }
}
