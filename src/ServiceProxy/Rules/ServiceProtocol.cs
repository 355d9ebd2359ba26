namespace ServiceProxy.Rules;

/// <summary>The transport protocol of a service port; the values are the IP protocol numbers (IPPROTO_*).</summary>
public enum ServiceProtocol : byte
{
    /// <summary>TCP (6).</summary>
    Tcp = 6,

    /// <summary>UDP (17).</summary>
    Udp = 17,

    /// <summary>SCTP (132).</summary>
    Sctp = 132,
}
