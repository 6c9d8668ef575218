using System.Net;

namespace AspireResilience.ChaosProxy.Client;

/// <summary>The ChaosProxy API answered with an error; the message is its <c>error</c> field.</summary>
public sealed class ChaosProxyException : Exception
{
    /// <summary>Creates the exception for an error answer.</summary>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    /// <param name="message">The API's <c>error</c> message.</param>
    public ChaosProxyException(HttpStatusCode statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>Gets the HTTP status of the answer: 400 invalid input, 404 unknown proxy or toxic, 409 name or address taken.</summary>
    public HttpStatusCode StatusCode { get; }
}
