using System.Net;

namespace ServiceProxy.Kubernetes.Translation;

/// <summary>An address configured on one of this host's interfaces, as the caller read it (rtnetlink, RTM_GETADDR).</summary>
/// <param name="Interface">The interface's name (IFLA_IFNAME), such as "eth0" or "lo".</param>
/// <param name="Address">The address (IFA_LOCAL, or IFA_ADDRESS where there is no IFA_LOCAL).</param>
public sealed record LocalAddress(string Interface, IPAddress Address);
