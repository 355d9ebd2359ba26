namespace Netlink.NativeTests.NfTables;

/// <summary>The ruleset of the differential test, in nft syntax: a small kube-proxy nftables-mode shape, plus an ip6 table.</summary>
internal static class DifferentialRuleset
{
    public const string Text = """
        table ip kube {
        	set vips {
        		type ipv4_addr
        		elements = { 198.18.0.1, 198.18.0.2 }
        	}

        	set nodeports {
        		type inet_proto . inet_service
        		elements = { tcp . 30080, udp . 30053 }
        	}

        	set cidrs {
        		type ipv4_addr
        		flags interval
        		elements = { 198.18.16.0/20 }
        	}

        	map service-ips {
        		type ipv4_addr . inet_proto . inet_service : verdict
        		elements = { 198.18.0.1 . tcp . 80 : goto svc-a, 198.18.0.2 . udp . 53 : goto svc-b }
        	}

        	map portmap {
        		type inet_service : ipv4_addr
        		elements = { 8080 : 198.19.0.1 }
        	}

        	chain mark-for-masq {
        		meta mark set meta mark | 0x00004000
        	}

        	chain ep-a-0 {
        		ip saddr 198.19.0.1 jump mark-for-masq
        		meta l4proto tcp dnat to 198.19.0.1:8080
        	}

        	chain ep-a-1 {
        		ip saddr 198.19.0.2 jump mark-for-masq
        		meta l4proto tcp dnat to 198.19.0.2:8080
        	}

        	chain ep-b-0 {
        		meta l4proto udp dnat to 198.19.1.1:5353
        	}

        	chain svc-a {
        		numgen random mod 2 vmap { 0 : goto ep-a-0, 1 : goto ep-a-1 }
        	}

        	chain svc-b {
        		counter goto ep-b-0
        	}

        	chain services {
        		ip daddr . meta l4proto . th dport vmap @service-ips
        		ip daddr @vips counter reject
        	}

        	chain prerouting {
        		type nat hook prerouting priority dstnat; policy accept;
        		jump services
        	}

        	chain output {
        		type nat hook output priority -100; policy accept;
        		jump services
        	}

        	chain postrouting {
        		type nat hook postrouting priority srcnat; policy accept;
        		meta mark & 0x00004000 == 0x00000000 return
        		meta mark set meta mark ^ 0x00004000
        		masquerade fully-random comment "kube masquerade"
        	}

        	chain filter-input {
        		type filter hook input priority filter; policy accept;
        		ct state invalid drop
        		meta l4proto . th dport @nodeports ct state new counter accept
        		ip saddr != @cidrs limit rate 10/second log prefix "drop " drop
        	}
        }
        table ip6 kube6 {
        	set vips6 {
        		type ipv6_addr
        		elements = { 2001:db8::1 }
        	}

        	chain forward {
        		type filter hook forward priority filter; policy drop;
        		ip6 daddr @vips6 ct mark set 0x00000007 accept
        		ct original ip6 daddr 2001:db8::2 accept
        	}
        }
        """;
}
