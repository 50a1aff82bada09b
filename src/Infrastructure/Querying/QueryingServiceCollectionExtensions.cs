using System.Security.Cryptography;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Querying;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPlatform.Infrastructure.Querying;

public static class QueryingServiceCollectionExtensions
{
    /// <summary>Setting holding the cursor HMAC secret; share it between instances so cursors survive restarts and load balancing.</summary>
    public const string CursorSecretSetting = "Querying:CursorSecret";

    /// <summary>
    /// Registers <see cref="IListQueryRunner"/> (scoped, over the scoped EF <c>DbContext</c>) and the cursor codec
    /// (<see cref="ICursorCodec"/>, which Application's list query builder decodes client cursors with).
    /// Without <see cref="CursorSecretSetting"/> the secret comes from <paramref name="unconfiguredSecret"/>, else a random
    /// per-process one is used: cursors then expire on restart.
    /// </summary>
    /// <remarks><see cref="ListTotalOptions.Setting"/> is read here, so a bad value stops the start-up.</remarks>
    public static IServiceCollection AddQuerying(this IServiceCollection services, IConfiguration? configuration = null, Func<byte[]>? unconfiguredSecret = null)
    {
        services.AddSingleton(sp =>
        {
            var configured = sp.GetService<IConfiguration>()?[CursorSecretSetting];
            var secret = string.IsNullOrEmpty(configured)
                ? unconfiguredSecret?.Invoke() ?? RandomNumberGenerator.GetBytes(32)
                : SHA256.HashData(Encoding.UTF8.GetBytes(configured));
            return new CursorCodec(secret);
        });
        services.AddSingleton<ICursorCodec>(sp => sp.GetRequiredService<CursorCodec>());
        services.AddSingleton(ReadTotals(configuration));
        services.AddScoped<IListQueryRunner, EfListQueryRunner>();
        return services;
    }

    private static ListTotalOptions ReadTotals(IConfiguration? configuration)
    {
        var text = configuration?[ListTotalOptions.Setting];
        if (string.IsNullOrEmpty(text))
        {
            return new ListTotalOptions(ListTotalOptions.DefaultCap);
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var cap) && cap is >= 1 and <= ListTotalOptions.MaxCap
            ? new ListTotalOptions(cap)
            : throw new InvalidOperationException($"{ListTotalOptions.Setting} must be an integer from 1 to {ListTotalOptions.MaxCap}, not '{text}'.");
    }
}
