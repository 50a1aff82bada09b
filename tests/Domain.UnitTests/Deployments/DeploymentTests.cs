using FunctionsPlatform.Domain.Deployments;
using FunctionsPlatform.Domain.Functions;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Deployments;

public sealed class DeploymentTests
{
    private static Deployment NewDeployment() => Deployment.Create("dep_1", "fun_1", "index.js", "npm i", activate: true, "manual", 1, Now);

    [Test]
    public void Create_WhenValid_ShouldBeWaiting() => Assert.That(NewDeployment().Status, Is.EqualTo(DeploymentStatus.Waiting));

    [Test]
    public void Create_WhenNoChunks_ShouldThrowInvalidChunks() =>
        AssertDomainError(DeploymentErrors.InvalidChunks, () => Deployment.Create("dep_1", "fun_1", "index.js", "", false, "manual", 0, Now));

    [Test]
    public void StartBuild_WhenWaiting_ShouldBeBuilding()
    {
        var deployment = NewDeployment();
        deployment.StartBuild(Now);
        Assert.That(deployment.Status, Is.EqualTo(DeploymentStatus.Building));
        Assert.That(deployment.BuildStartedAt, Is.EqualTo(Now));
    }

    [Test]
    public void BuildSucceeded_WhenBuilding_ShouldBeReadyWithDuration()
    {
        var deployment = NewDeployment();
        deployment.StartBuild(Now);
        deployment.BuildSucceeded("blob", 42, "ok", Now.AddSeconds(3));
        Assert.That(deployment.Status, Is.EqualTo(DeploymentStatus.Ready));
        Assert.That(deployment.BuildDuration, Is.EqualTo(3));
        Assert.That(deployment.BuildKey, Is.EqualTo("blob"));
    }

    [Test]
    public void BuildFailed_WhenBuilding_ShouldBeFailed()
    {
        var deployment = NewDeployment();
        deployment.StartBuild(Now);
        deployment.BuildFailed("err", Now);
        Assert.That(deployment.Status, Is.EqualTo(DeploymentStatus.Failed));
    }

    [Test]
    public void StartBuild_WhenAlreadyReady_ShouldThrowBuildAlreadyCompleted()
    {
        var deployment = NewDeployment();
        deployment.StartBuild(Now);
        deployment.BuildSucceeded("blob", 1, "", Now);
        AssertDomainError(DeploymentErrors.BuildAlreadyCompleted, () => deployment.StartBuild(Now));
    }

    [Test]
    public void Cancel_WhenBuilding_ShouldBeCanceled()
    {
        var deployment = NewDeployment();
        deployment.StartBuild(Now);
        deployment.Cancel(Now);
        Assert.That(deployment.Status, Is.EqualTo(DeploymentStatus.Canceled));
        Assert.That(deployment.BuildLogs, Does.Contain("canceled"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Cancel_WhenFinished_ShouldThrowBuildAlreadyCompleted(bool succeeded)
    {
        var deployment = NewDeployment();
        deployment.StartBuild(Now);
        if (succeeded)
        {
            deployment.BuildSucceeded("b", 1, "", Now);
        }
        else
        {
            deployment.BuildFailed("", Now);
        }

        AssertDomainError(DeploymentErrors.BuildAlreadyCompleted, () => deployment.Cancel(Now));
    }

    [Test]
    public void ActivateDeployment_WhenNotReady_ShouldThrowBuildNotReady()
    {
        var function = Function.Create("fun_1", "ws_1", "f", "node-20", Now);
        AssertDomainError(FunctionErrors.BuildNotReady, () => function.ActivateDeployment(NewDeployment(), Now));
    }

    [Test]
    public void ActivateDeployment_WhenReady_ShouldSetActiveAndRaiseCodeChanged()
    {
        var function = Function.Create("fun_1", "ws_1", "f", "node-20", Now);
        var deployment = NewDeployment();
        deployment.StartBuild(Now);
        deployment.BuildSucceeded("b", 1, "", Now);
        function.ClearDomainEvents();
        function.ActivateDeployment(deployment, Now);
        Assert.That(function.DeploymentId, Is.EqualTo("dep_1"));
        AssertRaised<FunctionCodeChanged>(function);
    }

    [Test]
    public void ActivateDeployment_WhenOfAnotherFunction_ShouldThrow()
    {
        var function = Function.Create("fun_2", "ws_1", "f", "node-20", Now);
        AssertDomainError(FunctionErrors.DeploymentOfAnotherFunction, () => function.ActivateDeployment(NewDeployment(), Now));
    }

    [Test]
    public void ChunkUploaded_WhenAllChunks_ShouldBeComplete()
    {
        var deployment = Deployment.Create("dep_1", "fun_1", "index.js", "", false, "manual", 2, Now);
        deployment.ChunkUploaded(Now);
        Assert.That(deployment.IsUploadComplete, Is.False);
        deployment.ChunkUploaded(Now);
        deployment.ChunkUploaded(Now);
        Assert.That(deployment.IsUploadComplete, Is.True);
        Assert.That(deployment.ChunksUploaded, Is.EqualTo(2));
    }
}
