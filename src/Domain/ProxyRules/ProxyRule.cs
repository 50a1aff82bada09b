using System.Text.RegularExpressions;
using FunctionsPlatform.Domain.Common;

namespace FunctionsPlatform.Domain.ProxyRules;

/// <summary>
/// A domain that serves one function: an HTTP request whose host is <see cref="Domain"/> runs the function and answers
/// with its response. Only one-label subdomains of the server's functions domain are accepted (no DNS to verify, no
/// certificate to issue), each at most once across the whole server.
/// </summary>
public sealed partial class ProxyRule : AuditableEntity, IAggregateRoot
{
    public const int DomainMaxLength = 253;

    private ProxyRule(string id, string workspaceId, string domain, string functionId, DateTimeOffset createdAt) : base(id, createdAt)
    {
        WorkspaceId = workspaceId;
        Domain = domain;
        FunctionId = functionId;
    }

    public string WorkspaceId { get; private set; }
    public string Domain { get; private set; }
    public string FunctionId { get; private set; }

    /// <param name="functionsDomain">The server's functions domain; empty when the operator turned domains off.</param>
    public static ProxyRule ForFunction(string id, string workspaceId, string domain, string functionId, string functionsDomain, DateTimeOffset now)
    {
        var normalized = Normalize(domain);
        if (!IsAllowed(normalized, functionsDomain))
        {
            throw new DomainException(ProxyRuleErrors.DomainNotAllowed);
        }

        return new ProxyRule(id, workspaceId, normalized, functionId, now);
    }

    /// <summary>Host names compare without case and without a trailing dot.</summary>
    public static string Normalize(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>Exactly one DNS label in front of the functions domain (Appwrite's own restriction for its domains).</summary>
    public static bool IsAllowed(string normalizedDomain, string functionsDomain)
    {
        if (functionsDomain.Length == 0 || normalizedDomain.Length > DomainMaxLength
            || !normalizedDomain.EndsWith("." + functionsDomain, StringComparison.Ordinal))
        {
            return false;
        }

        return Label().IsMatch(normalizedDomain.AsSpan(0, normalizedDomain.Length - functionsDomain.Length - 1));
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}

public static class ProxyRuleErrors
{
    public static readonly DomainError DomainNotAllowed = new(
        "proxy_rule.domain_not_allowed", "This domain name is not allowed. Please use a one-label subdomain of the server's functions domain.",
        ErrorKind.Validation, Field: "domain");
}
