namespace ServiceProxy.Rules;

/// <summary>
/// The chains of the nat and filter tables the iptables backend owns, named after kube-proxy's (KUBE-SERVICES,
/// KUBE-MARK-MASQ, KUBE-POSTROUTING; KUBE-SOURCE-RANGES-FIREWALL, KUBE-IPVS-FILTER) with the prefix of
/// <see cref="ServiceRulesOptions.ChainPrefix"/>, the jumps into them from the built-in chains, and the sets they match.
/// </summary>
internal sealed class IptablesChains
{
    /// <summary>The chains of <see cref="ServiceRulesOptions.Default"/>: IPVSD-SERVICES and the rest.</summary>
    public static IptablesChains Default { get; } = new(ServiceRulesOptions.Default);

    public IptablesChains(ServiceRulesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Prefix = options.ChainPrefix;
        Services = Prefix + "SERVICES";
        VirtualIp = Prefix + "VIRTUAL-IP";
        MarkMasquerade = Prefix + "MARK-MASQ";
        Postrouting = Prefix + "POSTROUTING";
        All = [Services, VirtualIp, MarkMasquerade, Postrouting];
        Jumps =
        [
            ("PREROUTING", Services, $"{options.Owner} service traffic"),
            ("OUTPUT", Services, $"{options.Owner} service traffic"),
            ("POSTROUTING", Postrouting, $"{options.Owner} masquerade marked traffic"),
        ];
        Firewall = Prefix + "FIREWALL";
        IpvsFilter = Prefix + "IPVS-FILTER";
        FilterChains = [IpvsFilter];
        FilterJumps = [("INPUT", IpvsFilter, $"{options.Owner} unknown ports on virtual IPs")];
        MangleChains = [Firewall];
        MangleJumps =
        [
            ("INPUT", Firewall, $"{options.Owner} load balancer source ranges"),
            ("OUTPUT", Firewall, $"{options.Owner} load balancer source ranges"),
        ];
        Sets = new IptablesSets(Prefix);
    }

    /// <summary>The ipsets holding the lists the rules match.</summary>
    public IptablesSets Sets { get; }

    /// <summary>Every chain the backend owns starts with this; <see cref="IServiceRulesBackend.Remove"/> removes any such chain.</summary>
    public string Prefix { get; }

    /// <summary>Matches traffic to virtual IPs and node ports; reached from PREROUTING and OUTPUT.</summary>
    public string Services { get; }

    /// <summary>Decides which virtual IP traffic is marked (by source); holds no rule when none is.</summary>
    public string VirtualIp { get; }

    /// <summary>Sets the masquerade mark bit.</summary>
    public string MarkMasquerade { get; }

    /// <summary>Masquerades marked traffic; reached from POSTROUTING.</summary>
    public string Postrouting { get; }

    /// <summary>Every owned chain of the nat table, in the order the restore input declares them.</summary>
    public IReadOnlyList<string> All { get; }

    /// <summary>The jumps from built-in chains of the nat table: (built-in chain, owned chain, comment that says who put it there).</summary>
    public IReadOnlyList<(string From, string To, string Comment)> Jumps { get; }

    /// <summary>
    /// Mangle table: drops the sources a load balancer IP does not allow; reached from INPUT and OUTPUT. The mangle hooks
    /// run before IPVS (at -150 against its -98 in OUTPUT), so the host's own connections still show the load balancer IP
    /// as their destination there: in the filter table's OUTPUT IPVS would already have sent them to a real server.
    /// </summary>
    public string Firewall { get; }

    /// <summary>Filter table: rejects new connections to a virtual IP address on a port that is no service; reached from INPUT.</summary>
    public string IpvsFilter { get; }

    /// <summary>Every owned chain of the filter table, in the order the restore input declares them.</summary>
    public IReadOnlyList<string> FilterChains { get; }

    /// <summary>The jumps from built-in chains of the filter table, as <see cref="Jumps"/>.</summary>
    public IReadOnlyList<(string From, string To, string Comment)> FilterJumps { get; }

    /// <summary>Every owned chain of the mangle table.</summary>
    public IReadOnlyList<string> MangleChains { get; }

    /// <summary>The jumps from built-in chains of the mangle table, as <see cref="Jumps"/>.</summary>
    public IReadOnlyList<(string From, string To, string Comment)> MangleJumps { get; }

    /// <summary>Whether <paramref name="chain"/> is one of this backend's.</summary>
    public bool Owns(string? chain) => chain is not null && chain.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="chain"/> is one of the built-in chains of the nat or filter table.</summary>
    public static bool IsBuiltIn(string chain) => chain is "PREROUTING" or "INPUT" or "OUTPUT" or "POSTROUTING" or "FORWARD";
}
