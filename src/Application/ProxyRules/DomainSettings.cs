namespace FunctionsPlatform.Application.ProxyRules;

/// <summary><c>Domains:*</c>: where functions are served by host name.</summary>
public sealed class DomainSettings
{
    public const string SectionName = "Domains";

    /// <summary>
    /// The domain under which a function's rule may name a subdomain (Appwrite's <c>_APP_DOMAIN_FUNCTIONS</c>). The default
    /// <c>functions.localhost</c> works on one machine with no DNS set up (<c>*.localhost</c> is loopback); point a
    /// wildcard DNS record at the server and set this to serve functions publicly. Empty turns function domains off.
    /// </summary>
    public string FunctionsDomain { get; set; } = "functions.localhost";
}
