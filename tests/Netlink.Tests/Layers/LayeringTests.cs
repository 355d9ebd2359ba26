using System.Reflection;
using Netlink.Ipvs;
using Netlink.Netfilter.NfTables;
using Netlink.Route;

namespace Netlink.Tests.Layers;

/// <summary>
/// The layers of DESIGN.md, held by the compiled assemblies: a protocol library references the core and nothing of
/// ours besides, starts no process, and knows no program; the CLI parses no model (the service proxy does).
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly[] ProtocolLibraries = [typeof(IpvsClient).Assembly, typeof(NfTablesClient).Assembly, typeof(RouteClient).Assembly];

    private static readonly string[] OurAssemblies = ["Netlink", "Netlink.Ipvs", "Netlink.Netfilter", "Netlink.Route", "ServiceProxy", "Netlink.Testing", "ipvsctl"];

    public static TheoryData<string> ProtocolLibraryNames => [.. ProtocolLibraries.Select(a => a.GetName().Name!)];

    [Theory]
    [MemberData(nameof(ProtocolLibraryNames))]
    public void A_protocol_library_references_only_the_core_of_ours_and_no_process_runner(string name)
    {
        Assembly library = ProtocolLibraries.Single(a => a.GetName().Name == name);
        string[] references = [.. library.GetReferencedAssemblies().Select(r => r.Name!)];

        Assert.Equal(["Netlink"], references.Where(OurAssemblies.Contains));
        Assert.DoesNotContain("CliWrap", references);
        Assert.DoesNotContain("System.Diagnostics.Process", references);
        Assert.DoesNotContain("YamlDotNet", references);
    }

    [Theory]
    [MemberData(nameof(ProtocolLibraryNames))]
    public void A_protocol_library_names_none_of_our_programs_or_chains(string name)
    {
        string path = ProtocolLibraries.Single(a => a.GetName().Name == name).Location;
        // String literals live in the user-string heap as UTF-16, at even or odd offsets: read it both ways.
        byte[] bytes = File.ReadAllBytes(path);
        string text = System.Text.Encoding.Unicode.GetString(bytes) + System.Text.Encoding.Unicode.GetString(bytes, 1, bytes.Length - 1);
        Assert.Contains(name == "Netlink.Route" ? "delete link" : name == "Netlink.Ipvs" ? "add virtual service" : "nf_tables", text, StringComparison.Ordinal);

        foreach (string word in (string[])["ipvsd", "ipvsctl", "IPVSD-", "modprobe", "iptables-restore"])
        {
            Assert.DoesNotContain(word, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_core_references_no_library_of_ours()
    {
        Assert.DoesNotContain(typeof(NetlinkConnection).Assembly.GetReferencedAssemblies(), r => OurAssemblies.Contains(r.Name) || r.Name == "CliWrap");
    }

    [Fact]
    public void The_service_proxy_holds_the_model_and_the_cli_parses_none()
    {
        Assembly serviceProxy = typeof(global::ServiceProxy.Model.ServiceModel).Assembly;
        Assembly cli = typeof(global::Ipvsctl.ChildProgram).Assembly;

        // The CLI still writes YAML (get's output through YamlDotNet's emitter); reading a model is the layer's.
        Assert.Contains(serviceProxy.GetTypes(), t => t.Name == "ModelReader");
        Assert.Contains(serviceProxy.GetTypes(), t => t.Name == "ModelValidator");
        Assert.DoesNotContain(cli.GetTypes(), t => t.Name.Contains("Reader", StringComparison.Ordinal) && t.Namespace?.Contains("Declarative", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(cli.GetTypes(), t => t.Name.Contains("Validator", StringComparison.Ordinal) || t.Name.Contains("AddressSyntax", StringComparison.Ordinal));
    }
}
