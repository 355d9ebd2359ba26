using CliWrap;
using CliWrap.Buffered;
using Netlink.NativeTests.Infrastructure;

namespace Netlink.NativeTests.IpvsCore;

/// <summary>Without CAP_NET_ADMIN, a program using the library is told exactly that, in one line.</summary>
[Trait(Rings.Name, Rings.Ipvs)]
public sealed class IpvsPermissionTests
{
    [Fact]
    public async Task WithoutCapNetAdmin_TheErrorNamesTheCapability()
    {
        // The IPVS benchmark program is a plain library user; run it as nobody, with no capabilities at all.
        string program = Path.Combine(AppContext.BaseDirectory, "..", "..", "IpvsBench", "release", "ipvs-bench");
        Assert.True(File.Exists(program), $"{program} missing: build Netlink.sln -c Release first");
        BufferedCommandResult result = await Cli.Wrap("setpriv")
            .WithArguments(["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--", program, "/dev/null"])
            .WithEnvironmentVariables(e => e.Set("DOTNET_CLI_HOME", "/tmp").Set("HOME", "/tmp"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "ipvs-bench: read IPVS version: Operation not permitted (EPERM). IPVS needs CAP_NET_ADMIN, for reads too: run as root or grant the capability",
            result.StandardError.Trim());
    }
}
