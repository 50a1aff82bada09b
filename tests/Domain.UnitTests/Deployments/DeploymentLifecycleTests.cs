using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Deployments;

/// <summary>Uploads, leased builds and removal: the transitions the build workers and the upload rely on.</summary>
public sealed class DeploymentLifecycleTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static Deployment Queued()
    {
        var deployment = Deployment.StartUpload("dep_1", "fun_1", "index.js", "", activate: true, "manual", 100, Now);
        deployment.SourceStored("key", 100, Now);
        return deployment;
    }

    [Test]
    public void StartUpload_ShouldCountChunksOfFiveMebibytes()
    {
        var deployment = Deployment.StartUpload("dep_1", "fun_1", "index.js", "", false, "manual", (12L * 1024 * 1024) + 1, Now);
        Assert.That(deployment.ChunksTotal, Is.EqualTo(3));
        Assert.That(deployment.SourceSize, Is.EqualTo((12L * 1024 * 1024) + 1));
        Assert.That(deployment.IsQueued, Is.False, "no source yet");
    }

    [Test]
    public void StartUpload_WhenEmpty_ShouldThrowInvalidChunks() =>
        AssertDomainError(DeploymentErrors.InvalidChunks, () => Deployment.StartUpload("dep_1", "fun_1", "index.js", "", false, "manual", 0, Now));

    [Test]
    public void PartsStored_ShouldNeverExceedTheTotalNorGoBack()
    {
        var deployment = Deployment.StartUpload("dep_1", "fun_1", "index.js", "", false, "manual", 11L * 1024 * 1024, Now);
        deployment.PartsStored(2, Now);
        deployment.PartsStored(1, Now);
        Assert.That(deployment.ChunksUploaded, Is.EqualTo(2));
        deployment.PartsStored(9, Now);
        Assert.That(deployment.ChunksUploaded, Is.EqualTo(3));
    }

    [Test]
    public void SourceStored_WithOtherContentThanBefore_ShouldThrow()
    {
        var deployment = Queued();
        deployment.SourceStored("key", 100, Now);
        AssertDomainError(DeploymentErrors.SourceAlreadyStored, () => deployment.SourceStored("other", 100, Now));
    }

    [Test]
    public void ClaimBuild_WhenQueued_ShouldBeProcessingUnderTheLease()
    {
        var deployment = Queued();
        Assert.That(deployment.ClaimBuild("w1", Now, Lease), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Status, Is.EqualTo(DeploymentStatus.Processing));
            Assert.That(deployment.BuildLeaseOwner, Is.EqualTo("w1"));
            Assert.That(deployment.BuildLeaseExpiresAt, Is.EqualTo(Now + Lease));
            Assert.That(deployment.BuildAttempts, Is.EqualTo(1));
            Assert.That(deployment.IsBuildHeldBy("w1"), Is.True);
        });
    }

    [Test]
    public void ClaimBuild_WhileUploading_ShouldBeRefused() =>
        Assert.That(Deployment.StartUpload("dep_1", "fun_1", "index.js", "", false, "manual", 10, Now).ClaimBuild("w1", Now, Lease), Is.False);

    [Test]
    public void ClaimBuild_UnderALiveLease_ShouldBeRefusedAndAfterItExpiredTaken()
    {
        var deployment = Queued();
        deployment.ClaimBuild("w1", Now, Lease);
        deployment.StartBuild(Now);
        Assert.That(deployment.ClaimBuild("w2", Now + TimeSpan.FromSeconds(10), Lease), Is.False);
        Assert.That(deployment.ClaimBuild("w2", Now + TimeSpan.FromMinutes(1), Lease), Is.True);
        Assert.That(deployment.BuildAttempts, Is.EqualTo(2));
        Assert.That(deployment.IsBuildHeldBy("w1"), Is.False);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ClaimBuild_WhenFinished_ShouldBeRefused(bool canceled)
    {
        var deployment = Queued();
        deployment.ClaimBuild("w1", Now, Lease);
        if (canceled)
        {
            deployment.Cancel(Now);
        }
        else
        {
            deployment.StartBuild(Now);
            deployment.BuildSucceeded("b", 1, "", Now);
        }

        Assert.That(deployment.ClaimBuild("w2", Now + TimeSpan.FromHours(1), Lease), Is.False);
    }

    [Test]
    public void BuildSucceeded_AfterCancel_ShouldThrowBuildCanceledAndStayCanceled()
    {
        var deployment = Queued();
        deployment.ClaimBuild("w1", Now, Lease);
        deployment.StartBuild(Now);
        deployment.Cancel(Now);
        AssertDomainError(DeploymentErrors.BuildCanceled, () => deployment.BuildSucceeded("b", 1, "", Now));
        Assert.That(deployment.Status, Is.EqualTo(DeploymentStatus.Canceled));
    }

    [Test]
    public void Cancel_ShouldReleaseTheLeaseAndRaiseTheEvent()
    {
        var deployment = Queued();
        deployment.ClaimBuild("w1", Now, Lease);
        deployment.Cancel(Now);
        Assert.That(deployment.BuildLeaseOwner, Is.Null);
        AssertRaised<DeploymentBuildCanceled>(deployment);
    }

    [Test]
    public void Cancel_Twice_ShouldChangeNothingTheSecondTime()
    {
        var deployment = Queued();
        deployment.Cancel(Now);
        deployment.Cancel(Now);
        Assert.That(deployment.BuildLogs, Is.EqualTo(Deployment.CanceledLogLine));
    }

    [Test]
    public void BuildFailed_WithAHugeLog_ShouldKeepItsTail()
    {
        var deployment = Queued();
        deployment.StartBuild(Now);
        deployment.BuildFailed(new string('a', Deployment.MaxBuildLogLength) + "the end", Now);
        Assert.That(deployment.BuildLogs, Has.Length.EqualTo(Deployment.MaxBuildLogLength));
        Assert.That(deployment.BuildLogs, Does.EndWith("the end"));
    }

    [Test]
    public void WithdrawActivation_ShouldClearTheClaim()
    {
        var deployment = Queued();
        deployment.WithdrawActivation(Now);
        Assert.That(deployment.Activate, Is.False);
    }

    [Test]
    public void Remove_ShouldRaiseTheKeysToDeleteWhenUnused()
    {
        var deployment = Queued();
        deployment.Remove(Now);
        AssertRaised<DeploymentRemoved>(deployment);
    }

    [Test]
    public void ActivateDeployment_ReadyAndNew_ShouldRaiseDeploymentActivatedOnce()
    {
        var function = Function.Create("fun_1", "ws_1", "f", "node-20", Now);
        var deployment = Queued();
        deployment.StartBuild(Now);
        deployment.BuildSucceeded("b", 1, "", Now);
        function.ActivateDeployment(deployment, Now);
        function.ClearDomainEvents();
        function.ActivateDeployment(deployment, Now);
        Assert.That(function.DomainEvents.OfType<FunctionDeploymentActivated>(), Is.Empty, "already active: nothing to pre-warm");
    }
}
