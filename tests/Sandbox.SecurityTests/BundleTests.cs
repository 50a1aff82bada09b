using FunctionsPlatform.Application.Abstractions.Runtime;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>Bundles: errors never show host paths, failed writes leave nothing behind, and the sandbox user can read them under umask 077.</summary>
public sealed class BundleTests
{
    private static SecurityHost Host => SharedSandbox.Host;

    [Test]
    public async Task FileAndFolderOfTheSameName_FailWithoutHostPathsOrLeftovers()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var result = await Host.RunAsync(SecurityHost.Invocation(Host.NodeId, "index.js", "module.exports = async ({ res }) => res.text('x');",
                "fun_clash", extraFiles: [new CodeFile("a", "1"), new CodeFile("a/b", "2")]));

            Assert.That(result.Failure, Is.EqualTo(RuntimeFailure.LoadFailed));
            Assert.That(result.Errors, Does.Contain("'a'").And.Contain("'a/b'"));
            Assert.That(result.Errors, Does.Not.Contain(Host.DataDirectory).And.Not.Contain(Path.GetTempPath()).And.Not.Contain("bundles/"));
        }

        Assert.That(Directory.GetFileSystemEntries(Host.Bundles.Root, ".tmp-*"), Is.Empty);
    }

    [Test]
    public async Task UnderUmask077_TheStoreIsPrivateAndTheBundleIsReadableToTheSandbox()
    {
        SharedSandbox.Require(Host);

        var result = await Host.RunAsync(SecurityHost.Invocation(Host.PythonId, "main.py",
            "from lib.helper import value\ndef main(context):\n    return context.res.text(value)\n", "fun_umask",
            extraFiles: [new CodeFile("lib/__init__.py", ""), new CodeFile("lib/helper.py", "value = 'read'\n")]));

        Assert.That(result.BodyText, Is.EqualTo("read"), result.Errors);
        Assert.That(File.GetUnixFileMode(Host.Bundles.Root), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        // The bundle's file, and its hard link in the code view of the process specialized for the call (the same inode).
        var helpers = Directory.GetFiles(Host.Bundles.Root, "helper.py", SearchOption.AllDirectories);
        Assert.That(helpers.Count(f => !f.Contains("/" + Infrastructure.Runtime.Bundles.CodeViews.DirectoryName + "/", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(helpers.Select(File.GetUnixFileMode),
            Is.All.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
    }
}
