using System.Net;

namespace ServiceProxy.Rules;

/// <summary>
/// One range of a <see cref="SourceRange"/>: <paramref name="Source"/> may reach <paramref name="Target"/>. The unit in
/// which source ranges change (kube-proxy's KUBE-LOAD-BALANCER-SOURCE-CIDR entries, <c>IP,PROTO:PORT,CIDR</c>).
/// </summary>
/// <param name="Target">The load balancer IP with protocol and port.</param>
/// <param name="Source">A network allowed to reach it.</param>
public sealed record AllowedSource(VirtualIp Target, IPNetwork Source)
{
    /// <inheritdoc />
    public override string ToString() => $"{Target} from {Source}";
}
