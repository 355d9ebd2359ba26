using Netlink.Ipvs;
using ServiceProxy.Rules;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>The protocols of Service and EndpointSlice ports ("TCP", "UDP", "SCTP"; the API's default is TCP).</summary>
internal static class ServiceProtocols
{
    /// <summary>The API's name for a missing protocol.</summary>
    public const string Default = "TCP";

    /// <summary>Reads a port's protocol; false for one IPVS cannot serve.</summary>
    public static bool TryParse(string? protocol, out IpvsProtocol ipvs, out ServiceProtocol rules)
    {
        switch (protocol ?? Default)
        {
            case "TCP":
                (ipvs, rules) = (IpvsProtocol.Tcp, ServiceProtocol.Tcp);
                return true;
            case "UDP":
                (ipvs, rules) = (IpvsProtocol.Udp, ServiceProtocol.Udp);
                return true;
            case "SCTP":
                (ipvs, rules) = (IpvsProtocol.Sctp, ServiceProtocol.Sctp);
                return true;
            default:
                (ipvs, rules) = (IpvsProtocol.None, default);
                return false;
        }
    }
}
