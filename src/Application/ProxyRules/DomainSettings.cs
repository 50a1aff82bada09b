namespace FunctionsPlatform.Application.ProxyRules;

/// <summary><c>Domains:*</c>: where functions are served by host name.</summary>
public sealed class DomainSettings
{
    public const string SectionName = "Domains";

    private string _functionsDomain = "";

    public DomainSettings() => FunctionsDomain = "functions.localhost";

    /// <summary>
    /// The domain under which a function's rule may name a subdomain (Appwrite's <c>_APP_DOMAIN_FUNCTIONS</c>). The default
    /// <c>functions.localhost</c> works on one machine with no DNS set up (<c>*.localhost</c> is loopback); point a
    /// wildcard DNS record at the server and set this to serve functions publicly. Empty turns function domains off.
    /// </summary>
    public string FunctionsDomain
    {
        get => _functionsDomain;
        set
        {
            _functionsDomain = value ?? "";
            SubdomainSuffix = _functionsDomain.Length == 0 ? "" : "." + _functionsDomain;
        }
    }

    /// <summary><c>"." + FunctionsDomain</c> (empty when off), made once: every request's host is matched against it.</summary>
    public string SubdomainSuffix { get; private set; } = "";

    /// <summary>
    /// Whether <paramref name="hostName"/> (no port) is a subdomain of <see cref="FunctionsDomain"/>: compared without
    /// case, ignoring surrounding blanks and a trailing dot, without allocating (it runs on every request).
    /// </summary>
    public bool IsFunctionsSubdomain(ReadOnlySpan<char> hostName) =>
        SubdomainSuffix.Length > 0 && hostName.Trim().TrimEnd('.').EndsWith(SubdomainSuffix, StringComparison.OrdinalIgnoreCase);
}
