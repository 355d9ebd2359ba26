namespace Netlink.Ipvs;

/// <summary>
/// Connection timeouts in seconds (IPVS_CMD_ATTR_TIMEOUT_TCP, _TCP_FIN, _UDP; ipvsadm --set). On write, 0 leaves
/// that timeout unchanged.
/// </summary>
/// <param name="Tcp">Established TCP sessions.</param>
/// <param name="TcpFin">TCP sessions after a FIN.</param>
/// <param name="Udp">UDP flows.</param>
public sealed record IpvsTimeouts(uint Tcp, uint TcpFin, uint Udp);
