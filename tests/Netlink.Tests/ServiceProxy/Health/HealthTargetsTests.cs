using System.Net;
using Netlink.Tests.ServiceProxy.Model;
using ServiceProxy.Health;

namespace Netlink.Tests.ServiceProxy.Health;

/// <summary>From a desired table to the monitor's targets: the checked services' real servers only.</summary>
public sealed class HealthTargetsTests
{
    [Fact]
    public void Of_ListsEachRealServerOfEachCheckedService_WithItsCheck_AndSkipsUncheckedServices()
    {
        var table = ModelText.Load("""
            services:
              - address: tcp://198.18.0.1:80
                health-check: { type: http, path: /healthz, port: 8081 }
                destinations: [ { address: '198.19.0.1:8080' }, { address: '[2001:db8::1]:8080', forward: tunnel } ]
              - address: tcp://198.18.0.2:80
                destinations: [ { address: 198.19.0.2 } ]
            """);

        IReadOnlyList<HealthTarget> targets = HealthTargets.Of(table);

        HealthCheck check = table.Services[0].HealthCheck!;
        Assert.Equal(
            [
                new HealthTarget(table.Services[0].Service.Key, IPAddress.Parse("198.19.0.1"), 8080, check),
                new HealthTarget(table.Services[0].Service.Key, IPAddress.Parse("2001:db8::1"), 8080, check),
            ],
            targets);
        Assert.All(targets, t => Assert.Equal((ushort)8081, t.ProbePort));
    }
}
