using System.Diagnostics;

namespace FunctionsPlatform.Sandbox.SecurityTests;

/// <summary>A server killed outright leaves its run directories behind; the next start removes those of servers that are gone.</summary>
public sealed class CrashHygieneTests
{
    [Test]
    public void Start_RemovesTheRunDirectoriesOfServersThatAreGone_AndKeepsLiveOnes()
    {
        var root = Path.Combine(Path.GetTempPath(), "fp-crash-" + Guid.NewGuid().ToString("N")[..8]);
        using (var gone = Process.Start("/bin/true"))
        {
            gone.WaitForExit();
            var dead = Path.Combine(root, $"fp-run-{gone.Id}-0123456789ab");
            var live = Path.Combine(root, "fp-run-1-0123456789ab"); // pid 1 always runs
            var unrelated = Path.Combine(root, "fp-tests-keep");
            Directory.CreateDirectory(Path.Combine(dead, "abcdef012345"));
            File.WriteAllText(Path.Combine(dead, "abcdef012345", "left-behind"), "x");
            File.WriteAllBytes(Path.Combine(dead, "seccomp.bpf"), [0]);
            Directory.CreateDirectory(live);
            Directory.CreateDirectory(unrelated);

            try
            {
                using var host = new SecurityHost(o => o.RunDirectoryRoot = root);

                Assert.That(Directory.Exists(dead), Is.False, "the dead server's run directories are removed at start");
                Assert.That(Directory.Exists(live), Is.True, "a live server's are kept");
                Assert.That(Directory.Exists(unrelated), Is.True, "names this platform did not make are kept");
                Assert.That(Path.GetFileName(host.Executor.RunDirectories.Instance), Does.StartWith($"fp-run-{Environment.ProcessId}-"));
                Assert.That(File.GetUnixFileMode(host.Executor.RunDirectories.Instance) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.OtherRead), Is.EqualTo((UnixFileMode)0));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Test]
    public void Shutdown_RemovesThisServersRunDirectories()
    {
        var root = Path.Combine(Path.GetTempPath(), "fp-crash-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string instance;
            using (var host = new SecurityHost(o => o.RunDirectoryRoot = root))
            {
                instance = host.Executor.RunDirectories.Instance;
                Assert.That(Directory.Exists(instance), Is.True);
            }

            Assert.That(Directory.Exists(instance), Is.False);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
