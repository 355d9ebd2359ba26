namespace Ipvsctl.Ipvsadm;

/// <summary>ipvsadm 1.31's -h and -v texts, word for word (scripts and muscle memory read them).</summary>
internal static class UsageText
{
    /// <summary>What -v prints (without the newline).</summary>
    public const string Version = "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)";

    /// <summary>What -h prints, naming the program as it was invoked.</summary>
    public static string Usage(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var text = new System.Text.StringBuilder(4096);
        text.Append(Version).Append('\n');
        text.Append("Usage:\n");
        text.Append("  ").Append(program).Append(" -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]\n");
        text.Append("  ").Append(program).Append(" -D virtual-service\n");
        text.Append("  ").Append(program).Append(" -C\n");
        text.Append("  ").Append(program).Append(" -R\n");
        text.Append("  ").Append(program).Append(" -S [-n]\n");
        text.Append("  ").Append(program).Append(" -a|e virtual-service -r server-address [options]\n");
        text.Append("  ").Append(program).Append(" -d virtual-service -r server-address\n");
        text.Append("  ").Append(program).Append(" -L|l [virtual-service] [options]\n");
        text.Append("  ").Append(program).Append(" -Z [virtual-service]\n");
        text.Append("  ").Append(program).Append(" --set tcp tcpfin udp\n");
        text.Append("  ").Append(program).Append(" --start-daemon {master|backup} [daemon-options]\n");
        text.Append("  ").Append(program).Append(" --stop-daemon {master|backup}\n");
        text.Append("  ").Append(program).Append(" -h\n");
        text.Append('\n');
        text.Append("Commands:\n");
        text.Append("Either long or short options are allowed.\n");
        text.Append("  --add-service     -A        add virtual service with options\n");
        text.Append("  --edit-service    -E        edit virtual service with options\n");
        text.Append("  --delete-service  -D        delete virtual service\n");
        text.Append("  --clear           -C        clear the whole table\n");
        text.Append("  --restore         -R        restore rules from stdin\n");
        text.Append("  --save            -S        save rules to stdout\n");
        text.Append("  --add-server      -a        add real server with options\n");
        text.Append("  --edit-server     -e        edit real server with options\n");
        text.Append("  --delete-server   -d        delete real server\n");
        text.Append("  --list            -L|-l     list the table\n");
        text.Append("  --zero            -Z        zero counters in a service or all services\n");
        text.Append("  --set tcp tcpfin udp        set connection timeout values\n");
        text.Append("  --start-daemon              start connection sync daemon\n");
        text.Append("  --stop-daemon               stop connection sync daemon\n");
        text.Append("  --help            -h        display this help message\n");
        text.Append('\n');
        text.Append("virtual-service:\n");
        text.Append("  --tcp-service|-t  service-address   service-address is host[:port]\n");
        text.Append("  --udp-service|-u  service-address   service-address is host[:port]\n");
        text.Append("  --sctp-service    service-address   service-address is host[:port]\n");
        text.Append("  --fwmark-service|-f fwmark          fwmark is an integer greater than zero\n");
        text.Append('\n');
        text.Append("Options:\n");
        text.Append("  --ipv6         -6                   fwmark entry uses IPv6\n");
        text.Append("  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh,\n");
        text.Append("                                      the default scheduler is wlc.\n");
        text.Append("  --pe            engine              alternate persistence engine may be sip,\n");
        text.Append("                                      not set by default.\n");
        text.Append("  --persistent   -p [timeout]         persistent service\n");
        text.Append("  --netmask      -M netmask           persistent granularity mask\n");
        text.Append("  --real-server  -r server-address    server-address is host (and port)\n");
        text.Append("  --gatewaying   -g                   gatewaying (direct routing) (default)\n");
        text.Append("  --ipip         -i                   ipip encapsulation (tunneling)\n");
        text.Append("  --masquerading -m                   masquerading (NAT)\n");
        text.Append("  --tun-type      type                one of ipip|gue|gre,\n");
        text.Append("                                      the default tunnel type is ipip.\n");
        text.Append("  --tun-port      port                tunnel destination port\n");
        text.Append("  --tun-nocsum                        tunnel encapsulation without checksum\n");
        text.Append("  --tun-csum                          tunnel encapsulation with checksum\n");
        text.Append("  --tun-remcsum                       tunnel encapsulation with remote checksum\n");
        text.Append("  --weight       -w weight            capacity of real server\n");
        text.Append("  --u-threshold  -x uthreshold        upper threshold of connections\n");
        text.Append("  --l-threshold  -y lthreshold        lower threshold of connections\n");
        text.Append("  --connection   -c                   output of current IPVS connections\n");
        text.Append("  --timeout                           output of timeout (tcp tcpfin udp)\n");
        text.Append("  --daemon                            output of daemon information\n");
        text.Append("  --stats                             output of statistics information\n");
        text.Append("  --rate                              output of rate information\n");
        text.Append("  --exact                             expand numbers (display exact values)\n");
        text.Append("  --thresholds                        output of thresholds information\n");
        text.Append("  --persistent-conn                   output of persistent connection info\n");
        text.Append("  --tun-info                          output of tunnel information\n");
        text.Append("  --nosort                            disable sorting output of service/server entries\n");
        text.Append("  --sort                              does nothing, for backwards compatibility\n");
        text.Append("  --ops          -o                   one-packet scheduling\n");
        text.Append("  --numeric      -n                   numeric output of addresses and ports\n");
        text.Append("  --sched-flags  -b flags             scheduler flags (comma-separated)\n");
        text.Append("Daemon Options:\n");
        text.Append("  --syncid sid                        syncid for connection sync (default=255)\n");
        text.Append("  --sync-maxlen length                Max sync message length (default=1472)\n");
        text.Append("  --mcast-interface interface         multicast interface for connection sync\n");
        text.Append("  --mcast-group address               IPv4/IPv6 group (default=224.0.0.81)\n");
        text.Append("  --mcast-port port                   UDP port (default=8848)\n");
        text.Append("  --mcast-ttl ttl                     Multicast TTL (default=1)\n");
        return text.ToString();
    }
}
