using System.Net;
using Netlink.Netfilter.NfTables;
using Netlink.Netfilter.NfTables.Codec;
using ServiceProxy.Rules;

namespace Netlink.Tests.ServiceProxy.Rules;

/// <summary>The nf_tables transaction of a change of lists only: set elements added and deleted, one message each.</summary>
public sealed class NfTablesServiceChangesTests
{
    private const int NewElements = 12, DeleteElements = 14;

    private static VirtualIp Vip(string address, ServiceProtocol protocol, ushort port) => new(IPAddress.Parse(address), protocol, port);

    /// <summary>One message of the batch: the nf_tables message type, the set it names, and its elements.</summary>
    private sealed record Message(int Kind, string Set, IReadOnlyList<SetElement> Elements);

    private static List<Message> Decode(Transaction transaction)
    {
        var messages = new List<Message>();
        var reader = new NetlinkMessageReader(transaction.Seal().WrittenSpan);
        while (reader.TryRead(out NetlinkMessage m))
        {
            int kind = NfMessageParser.NftMessage(m);
            if (kind is NewElements or DeleteElements)
            {
                var list = new List<SetElement>();
                NfMessageParser.ParseElements(m, list);
                messages.Add(new Message(kind, SetName(m), list));
            }
            else if (kind >= 0)
            {
                messages.Add(new Message(kind, "", []));
            }
        }
        return messages;
    }

    [Fact]
    public void An_empty_change_queues_nothing()
    {
        using NfTablesServiceChanges changes = NfTablesServiceChanges.Build(ServiceRuleChange.Between(Samples.Everything, Samples.Everything), "ipvsd");

        Assert.True(changes.Transaction.IsEmpty);
    }

    [Fact]
    public void A_settings_change_is_refused_since_only_the_whole_table_carries_it()
    {
        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, Samples.Everything with { MasqueradeMark = 0x8000 });

        Assert.Throws<ArgumentException>(() => NfTablesServiceChanges.Build(change, "ipvsd"));
    }

    [Fact]
    public void Each_list_changes_its_own_set_one_element_a_message_adds_before_deletes()
    {
        VirtualIp newV4 = Vip("198.18.0.50", ServiceProtocol.Tcp, 8080);
        VirtualIp newV6 = Vip("2001:db8::50", ServiceProtocol.Udp, 5353);
        VirtualIp moving = Samples.Everything.ExternalVirtualIps[0];
        ServiceRuleSet wanted = Samples.Everything with
        {
            VirtualIps = [.. Samples.Everything.VirtualIps.Skip(1), newV4, newV6],
            ExternalVirtualIps = [.. Samples.Everything.ExternalVirtualIps.Skip(1)],
            UnmarkedVirtualIps = [.. Samples.Everything.UnmarkedVirtualIps, moving],
            NodePorts = [new(ServiceProtocol.Sctp, 30100)],
            RejectUnknownPortsOn = [.. Samples.Everything.RejectUnknownPortsOn.Skip(1), IPAddress.Parse("2001:db8::50")],
            HairpinEndpoints = [Samples.Everything.HairpinEndpoints[0], Vip("2001:db8:1::3", ServiceProtocol.Tcp, 80)],
        };
        ServiceRuleChange change = ServiceRuleChange.Between(Samples.Everything, wanted);

        using NfTablesServiceChanges changes = NfTablesServiceChanges.Build(change, "ipvsd");
        List<Message> messages = Decode(changes.Transaction);

        Assert.Equal(change.ElementCount, changes.Transaction.Count);
        Assert.All(messages, m => Assert.Single(m.Elements));
        Assert.Equal(
        [
            (NewElements, "virtual-ips-v4"), (NewElements, "virtual-ips-v6"), (NewElements, "unmarked-ips-v4"), (NewElements, "reject-unknown-ports-v6"),
            (NewElements, "hairpin-v6"), (NewElements, "node-ports"),
            (DeleteElements, "virtual-ips-v4"), (DeleteElements, "external-ips-v4"), (DeleteElements, "reject-unknown-ports-v4"),
            (DeleteElements, "hairpin-v6"), (DeleteElements, "node-ports"), (DeleteElements, "node-ports"),
        ], messages.Select(m => (m.Kind, m.Set)));
        // The keys are the ones the whole table is built with.
        Assert.Equal(NetworkKeys.VirtualIp(newV4), messages[0].Elements[0].Key.ToArray());
        Assert.Equal(NetworkKeys.VirtualIp(moving), messages[2].Elements[0].Key.ToArray());
        Assert.Equal(NetworkKeys.VirtualIp(moving), messages[7].Elements[0].Key.ToArray());
        Assert.Equal(new byte[] { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x50 }, messages[3].Elements[0].Key.ToArray());
        Assert.Equal(NetworkKeys.Hairpin(Vip("2001:db8:1::3", ServiceProtocol.Tcp, 80)), messages[4].Elements[0].Key.ToArray());
        Assert.Equal(NetworkKeys.NodePort(new(ServiceProtocol.Sctp, 30100)), messages[5].Elements[0].Key.ToArray());
        Assert.Equal(NetworkKeys.NodePort(new(ServiceProtocol.Tcp, 30080)), messages[10].Elements[0].Key.ToArray());
    }

    [Fact]
    public void A_node_port_element_is_the_one_the_whole_table_holds()
    {
        Ruleset built = NfTablesServiceRuleset.Build(Samples.Everything, "ipvsd");
        NftSet nodePorts = built.Sets.Single(s => s.Name == "node-ports");

        // tcp 30080 is the first in rule order: protocol 6 then port 30080 (0x7580), each field padded to 4 bytes.
        Assert.Equal("06000000" + "75800000", Convert.ToHexStringLower(built.Elements[nodePorts][0].Key.Span));
        Assert.Equal(built.Elements[nodePorts][0].Key.ToArray(), NetworkKeys.NodePort(new(ServiceProtocol.Tcp, 30080)));
    }

    [Fact]
    public void Allowed_ranges_removed_go_first_whole_with_their_end_and_a_new_target_with_its_ranges_is_added()
    {
        // 198.18.5.0/24 narrowed to 198.18.5.128/25 (inside it: the interval set would refuse the add while the old
        // range is there), and a new target with one range.
        SourceRange first = Samples.Everything.SourceRanges[0];
        VirtualIp target = Vip("2001:db8::60", ServiceProtocol.Tcp, 443);
        ServiceRuleSet wanted = Samples.Everything with
        {
            SourceRanges =
            [
                first with { AllowedSources = [IPNetwork.Parse("198.18.5.128/25"), .. first.AllowedSources.Skip(1)] },
                Samples.Everything.SourceRanges[1],
                new(target, [IPNetwork.Parse("2001:db8:60::/48")]),
            ],
        };

        using NfTablesServiceChanges changes = NfTablesServiceChanges.Build(ServiceRuleChange.Between(Samples.Everything, wanted), "ipvsd");
        List<Message> messages = Decode(changes.Transaction);

        Assert.Equal(
        [
            (DeleteElements, "firewall-allowed-v4"), (NewElements, "firewall-v6"), (NewElements, "firewall-allowed-v4"), (NewElements, "firewall-allowed-v6"),
        ], messages.Select(m => (m.Kind, m.Set)));
        SetElement removed = messages[0].Elements[0];
        SetElement expected = NetworkKeys.AllowedSource(first.Target, IPNetwork.Parse("198.18.5.0/24"));
        Assert.Equal(expected.Key.ToArray(), removed.Key.ToArray());
        // Deleted by both ends, as nft deletes a concatenated range: 198.18.5.0 to 198.18.5.255.
        Assert.NotNull(removed.KeyEnd);
        Assert.Equal(expected.KeyEnd!.Value.ToArray(), removed.KeyEnd!.Value.ToArray());
        Assert.Equal(new byte[] { 198, 18, 5, 255 }, removed.KeyEnd.Value.ToArray()[^4..]);
        Assert.Equal(NetworkKeys.VirtualIp(target), messages[1].Elements[0].Key.ToArray());
        Assert.NotNull(messages[3].Elements[0].KeyEnd);
    }

    [Fact]
    public void Each_message_is_described_by_its_element_and_set()
    {
        VirtualIp gone = Samples.Everything.VirtualIps[0];
        ServiceRuleSet wanted = Samples.Everything with
        {
            VirtualIps = [.. Samples.Everything.VirtualIps.Skip(1)],
            NodePorts = [.. Samples.Everything.NodePorts, new(ServiceProtocol.Tcp, 30443)],
            SourceRanges = [Samples.Everything.SourceRanges[0]],
        };

        using NfTablesServiceChanges changes = NfTablesServiceChanges.Build(ServiceRuleChange.Between(Samples.Everything, wanted), "ipvsd");

        Assert.Null(changes.Describe(0));
        Assert.Equal(("delete allowed source", "2001:db8:5::/48 for tcp [2001:db8::10]:80 from set inet ipvsd firewall-allowed-v6"), changes.Describe(1));
        Assert.Equal(("add node port", "tcp 30443 to set inet ipvsd node-ports"), changes.Describe(2));
        Assert.Equal(("delete virtual IP", $"{gone} from set inet ipvsd virtual-ips-v4"), changes.Describe(3));
        Assert.Equal(("delete firewall target", "tcp [2001:db8::10]:80 from set inet ipvsd firewall-v6"), changes.Describe(4));
        Assert.Null(changes.Describe(5));
    }

    private static string SetName(NetlinkMessage message)
    {
        foreach (NetlinkAttribute a in message.Attributes(4))
        {
            if (a.Type == 2)
            {
                return a.GetString();
            }
        }
        throw new InvalidOperationException("no set name");
    }
}
