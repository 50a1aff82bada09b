using FunctionsPlatform.Infrastructure.Querying;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.IntegrationTests.Querying;

/// <summary><c>Querying:TotalCountCap</c> is read at start-up; a value that is not a whole number from 1 to 1,000,000 stops it.</summary>
public sealed class ListTotalOptionsTests
{
    [TestCase(null, ListTotalOptions.DefaultCap)]
    [TestCase("1", 1)]
    [TestCase("5000", 5000)]
    [TestCase("1000000", 1_000_000)]
    public void Cap_WhenValid_ShouldBeUsed(string? setting, int expected) =>
        Assert.That(Register(setting).BuildServiceProvider().GetRequiredService<ListTotalOptions>().Cap, Is.EqualTo(expected));

    [TestCase("0")]
    [TestCase("-5")]
    [TestCase("1000001")]
    [TestCase("ten")]
    [TestCase("1.5")]
    public void Cap_WhenInvalid_ShouldStopTheStart(string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Register(setting));
        Assert.That(error!.Message, Does.Contain(ListTotalOptions.Setting));
    }

    private static IServiceCollection Register(string? cap)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(cap is null ? [] : [new KeyValuePair<string, string?>(ListTotalOptions.Setting, cap)])
            .Build();
        return new ServiceCollection().AddQuerying(configuration);
    }
}
