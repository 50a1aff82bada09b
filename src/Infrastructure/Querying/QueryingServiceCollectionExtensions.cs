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
    /// Registers <see cref="IListQueryRunner"/> (scoped, over the scoped EF <c>DbContext</c>) and the cursor codec.
    /// Without <see cref="CursorSecretSetting"/> a random per-process secret is used: cursors then expire on restart.
    /// </summary>
    public static IServiceCollection AddQuerying(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var configured = sp.GetService<IConfiguration>()?[CursorSecretSetting];
            var secret = string.IsNullOrEmpty(configured)
                ? RandomNumberGenerator.GetBytes(32)
                : SHA256.HashData(Encoding.UTF8.GetBytes(configured));
            return new CursorCodec(secret);
        });
        services.AddScoped<IListQueryRunner, EfListQueryRunner>();
        return services;
    }
}
