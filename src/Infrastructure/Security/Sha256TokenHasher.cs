using System.Security.Cryptography;
using System.Text;
using FunctionsPlatform.Application.Abstractions.Security;

namespace FunctionsPlatform.Infrastructure.Security;

/// <summary>Tokens are 256 random bits; only their SHA-256 is stored (a fast hash is right for high-entropy secrets).</summary>
internal sealed class Sha256TokenHasher : ITokenHasher
{
    public const string TokenPrefix = "fp_";

    public string NewToken() => TokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
