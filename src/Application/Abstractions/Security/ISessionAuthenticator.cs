namespace FunctionsPlatform.Application.Abstractions.Security;

/// <summary>Turns a console session's secret (the <c>a_session_console</c> cookie) into the rights of the key it was opened with.</summary>
public interface ISessionAuthenticator
{
    /// <summary>Null when the session is unknown, expired or ended, or its key was revoked or expired.</summary>
    ValueTask<AuthenticatedKey?> AuthenticateAsync(string secret, CancellationToken ct = default);

    /// <summary>Drops any cached answer for this session so an ended session stops working at once.</summary>
    void Forget(string sessionId);

    /// <summary>Drops cached answers for every session of this key, so revoking the key ends them at once.</summary>
    void ForgetKey(string keyId);
}
