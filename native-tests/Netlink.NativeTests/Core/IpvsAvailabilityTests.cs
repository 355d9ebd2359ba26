using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.Core;

/// <summary>
/// On this machine's kernel, built without IPVS, opening a client must say so in one clear line. Where the kernel
/// has IPVS (a Vagrant box running the host ring), the same open must succeed instead.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class IpvsAvailabilityTests
{
    [Fact]
    public void Open_SaysPlainlyWhetherTheKernelHasIpvs()
    {
        try
        {
            using IpvsClient client = IpvsClient.Open();
            // The library loads no module; IPVS is there, so the kernel shows /proc/net/ip_vs.
            Assert.True(File.Exists("/proc/net/ip_vs"), "IpvsClient opened on a kernel that shows no sign of IPVS");
            Assert.Equal("1.2.1", client.GetInfo().VersionText);
        }
        catch (IpvsUnavailableException e)
        {
            Assert.StartsWith("this kernel has no IPVS (generic netlink family \"IPVS\" not found; the ip_vs module is not loaded)", e.Message, StringComparison.Ordinal);
            Assert.EndsWith("load the ip_vs module or use a kernel built with CONFIG_IP_VS", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.False(File.Exists("/proc/net/ip_vs"), "IPVS is there but the client said it is not");
        }
    }

    [Fact]
    public void TryOpen_AnswersTheSameQuestionWithoutAnException()
    {
        bool hasIpvs = File.Exists("/proc/net/ip_vs");
        bool opened = IpvsClient.TryOpen(IpvsClientOptions.Default, out IpvsClient? client, out string? reason);
        using (client)
        {
            Assert.Equal(hasIpvs, opened);
            Assert.Equal(hasIpvs ? null : "the ip_vs module is not loaded", reason);
            Assert.Equal(hasIpvs, client is not null);
        }
    }
}
