using FunctionsPlatform.Application.Common.Behaviours;

namespace FunctionsPlatform.Application.UnitTests.Common;

public sealed class ValidationBehaviourTests
{
    [TestCase("Name", "name")]
    [TestCase("name", "name")]
    [TestCase("Files[0].Path", "files[0].path")]
    [TestCase("InputSchemaId", "inputSchemaId")]
    [TestCase("List.Limit", "list.limit")]
    [TestCase("", "")]
    [TestCase("A..B", "a..b")]
    public void ToWirePath_WhenPropertyName_ShouldCamelCaseEachSegment(string propertyName, string expected) =>
        Assert.That(ValidationBehaviour<object, object>.ToWirePath(propertyName), Is.EqualTo(expected));
}
