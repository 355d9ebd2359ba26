using Netlink.Ipvs;
using Netlink.NativeTests.Infrastructure;
using ServiceProxy.Kernel;

namespace Netlink.NativeTests.ServiceProxy;

/// <summary>
/// The service proxy loads ip_vs when IPVS is missing. This machine's kernel has neither IPVS nor modules, so modprobe
/// runs and fails and the reason says so; where IPVS is there (the VM), the open succeeds without it.
/// </summary>
[Trait(Rings.Name, Rings.Host)]
public sealed class IpvsOpenerTests
{
    [Fact]
    public void TryOpen_LoadsTheModule_OrSaysWhatModprobeSaid()
    {
        bool hasIpvs = File.Exists("/proc/net/ip_vs");
        bool opened = IpvsOpener.TryOpen(IpvsClientOptions.Default, loadModule: true, out IpvsClient? client, out string? reason);
        using (client)
        {
            if (opened)
            {
                Assert.True(File.Exists("/proc/net/ip_vs"), "opened on a kernel that shows no sign of IPVS");
                Assert.Equal("1.2.1", client!.GetInfo().VersionText);
            }
            else
            {
                Assert.False(hasIpvs);
                Assert.StartsWith("`modprobe ip_vs` ", reason, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', reason!);
            }
        }
    }

    [Fact]
    public void KernelModules_Load_ReportsAFailureInsteadOfThrowing()
    {
        ModuleLoadResult result = KernelModules.Load("nltest_no_such_module", TestContext.Current.CancellationToken);
        Assert.False(result.Loaded);
        Assert.StartsWith("`modprobe nltest_no_such_module` failed: ", result.Detail, StringComparison.Ordinal);
    }
}
