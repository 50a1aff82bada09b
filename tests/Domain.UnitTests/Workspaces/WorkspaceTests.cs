using FunctionsPlatform.Domain.Workspaces;
using static FunctionsPlatform.Domain.UnitTests.Common.DomainAssert;

namespace FunctionsPlatform.Domain.UnitTests.Workspaces;

public sealed class WorkspaceTests
{
    [Test]
    public void Create_WhenValid_ShouldMakeCreatorOwner()
    {
        var workspace = Workspace.Create("ws_1", "Team", "usr_1", Now);
        var owner = workspace.Members.Single();
        Assert.That(owner.UserId, Is.EqualTo("usr_1"));
        Assert.That(owner.Role, Is.EqualTo(MembershipRole.Owner));
        Assert.That(owner.WorkspaceId, Is.EqualTo("ws_1"));
        Assert.That(workspace.HasMember("usr_1"), Is.True);
    }

    [Test]
    public void Create_WhenNameEmpty_ShouldThrowNameInvalid() =>
        AssertDomainError(WorkspaceErrors.NameInvalid, () => Workspace.Create("ws_1", "", "usr_1", Now));

    [Test]
    public void AddMember_WhenNew_ShouldAdd()
    {
        var workspace = Workspace.Create("ws_1", "Team", "usr_1", Now);
        var member = workspace.AddMember("usr_2", MembershipRole.Member, Now);
        Assert.That(member.Role, Is.EqualTo(MembershipRole.Member));
        Assert.That(workspace.Members, Has.Count.EqualTo(2));
        Assert.That(workspace.HasMember("usr_2"), Is.True);
    }

    [Test]
    public void AddMember_WhenExisting_ShouldChangeRoleWithoutDuplicate()
    {
        var workspace = Workspace.Create("ws_1", "Team", "usr_1", Now);
        workspace.AddMember("usr_2", MembershipRole.Member, Now);
        workspace.AddMember("usr_2", MembershipRole.Owner, Now);
        Assert.That(workspace.Members.Count(m => m.UserId == "usr_2"), Is.EqualTo(1));
        Assert.That(workspace.Members.Single(m => m.UserId == "usr_2").Role, Is.EqualTo(MembershipRole.Owner));
    }

    [TestCase("default", true)]
    [TestCase("my-project.1_x", true)]
    [TestCase("-bad", false)]
    [TestCase("has space", false)]
    public void IsValidChosenId_WhenId_ShouldMatchAppwriteRule(string id, bool expected) =>
        Assert.That(WorkspaceErrors.IsValidChosenId(id), Is.EqualTo(expected));

    [Test]
    public void IsValidChosenId_WhenTooLong_ShouldBeFalse() =>
        Assert.That(WorkspaceErrors.IsValidChosenId(new string('a', 37)), Is.False);
}
