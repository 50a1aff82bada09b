using FunctionsPlatform.Application.Abstractions.Querying;
using FunctionsPlatform.Application.Common.Errors;
using FunctionsPlatform.Application.Common.Querying;
using FunctionsPlatform.Application.Deployments.Queries;
using FunctionsPlatform.Application.Functions.Queries;
using FunctionsPlatform.Application.FunctionVersions.Queries;
using FunctionsPlatform.Infrastructure.Querying;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

public sealed class CursorCodecTests
{
    private static readonly CursorCodec Codec = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly IQueryModel Functions = FunctionQueryModel.Instance;

    [Test]
    public void Decode_OwnCursor_ShouldRoundTripEveryKeyType()
    {
        var order = OrderByJsonParser.Parse("""[{"description":"asc"},{"timeout":"desc"},{"createdAt":"asc"},{"enabled":"desc"}]""", Functions);
        var created = new DateTimeOffset(2026, 11, 23, 10, 0, 0, 123, TimeSpan.Zero);
        object?[] values = [null, 900, created, true, "fun_01jd'\"😀"];
        var cursor = Codec.Encode(Functions, order, values);
        Assert.That(Codec.Decode(cursor, Functions, order, "after"), Is.EqualTo(values));
    }

    [Test]
    public void Decode_DoubleAndLong_ShouldRoundTripExactly()
    {
        var model = DeploymentQueryModel.Instance;
        var order = OrderByJsonParser.Parse("""[{"totalSize":"asc"}]""", model);
        var cursor = Codec.Encode(model, order, [long.MaxValue, "dep_1"]);
        Assert.That(Codec.Decode(cursor, model, order, "after"), Is.EqualTo(new object[] { long.MaxValue, "dep_1" }));
    }

    [TestCase("")]
    [TestCase(".")]
    [TestCase("abc")]
    [TestCase("abc.def")]
    [TestCase("!!!.???")]
    [TestCase("eyJPIjoiIiwiViI6W119.AAAAAAAAAAAAAAAAAAAAAA")]
    public void Decode_Garbage_ShouldBeA400AtTheField(string cursor)
    {
        var error = Assert.Throws<ValidationException>(() => Codec.Decode(cursor, Functions, OrderByJsonParser.Parse(null, Functions), "before"))!;
        Assert.That(error.Errors.Keys, Is.EquivalentTo(new[] { "before" }));
    }

    [Test]
    public void Decode_AnotherOrderOrEntityOrSecret_ShouldBeRejected()
    {
        var order = OrderByJsonParser.Parse(null, Functions);
        var cursor = Codec.Encode(Functions, order, [DateTimeOffset.UnixEpoch, "fun_1"]);
        Assert.Throws<ValidationException>(() => Codec.Decode(cursor, Functions, OrderByJsonParser.Parse("""[{"createdAt":"desc_nulls_first"}]""", Functions), "after"));
        Assert.Throws<ValidationException>(() => Codec.Decode(cursor, FunctionVersionQueryModel.Instance, OrderByJsonParser.Parse(null, FunctionVersionQueryModel.Instance), "after"));
        Assert.Throws<ValidationException>(() => new CursorCodec(new byte[32]).Decode(cursor, Functions, order, "after"));
        var flipped = cursor[..^2] + (cursor[^2] == 'A' ? 'B' : 'A') + cursor[^1];
        Assert.Throws<ValidationException>(() => Codec.Decode(flipped, Functions, order, "after"));
    }

    [Test]
    public void Constructor_ShortSecret_ShouldBeRefused() =>
        Assert.Throws<ArgumentException>(() => _ = new CursorCodec(new byte[8]));
}
