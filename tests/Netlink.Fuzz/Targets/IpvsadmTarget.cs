using Ipvsctl.Ipvsadm;
using Netlink.Ipvs;
using Netlink.Testing;

namespace Netlink.Fuzz.Targets;

/// <summary>
/// ipvsadm's command line run whole, as ipvsctl runs it, on an in-memory kernel holding a few services: parsed,
/// then carried out (adds, edits, deletes, listings in every format).
/// </summary>
public class IpvsadmTarget : IFuzzTarget
{
    /// <summary>/etc/hosts and /etc/services, without DNS: a fuzzer must not wait on a resolver.</summary>
    internal static NameLookup LocalNames { get; } = new(resolveWithDns: false);

    /// <inheritdoc />
    public virtual string Name => "ipvsadm-args";

    /// <inheritdoc />
    public virtual string Description => "an ipvsadm command line (one argument a line), run against an in-memory IPVS kernel";

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        string text = TextInput.Decode(input);
        var kernel = new FakeIpvsKernel();
        using IpvsClient client = kernel.OpenClient();
        Seed(client);
        IpvsInfo info = client.GetInfo();
        var session = new IpvsadmSession(client, info, "ipvsadm", posixMeHarder: false, new StringReader(StandardInput(text)), TextWriter.Null, TextWriter.Null, LocalNames);
        try
        {
            session.ProcessOptions(Arguments(text), readingStdin: false);
        }
        catch (IpvsadmExit)
        {
            // ipvsadm's own refusal: a message and an exit status
        }
    }

    /// <summary>The arguments the input stands for.</summary>
    protected virtual IReadOnlyList<string> Arguments(string text) => text.Split('\n');

    /// <summary>What standard input holds.</summary>
    protected virtual string StandardInput(string text) => "";

    private static void Seed(IpvsClient client)
    {
        var web = new VirtualService(VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, System.Net.IPAddress.Parse("198.18.0.1"), 80));
        client.AddService(web);
        client.AddRealServer(web.Key, new RealServer(System.Net.IPAddress.Parse("198.18.1.1"), 8080) { Forwarding = ForwardingMethod.Masquerade });
        client.AddService(new VirtualService(VirtualServiceKey.ForFirewallMark(7, System.Net.Sockets.AddressFamily.InterNetworkV6)) { Scheduler = "rr" });
    }
}
