using System.Globalization;

namespace Netlink.Ipvs;

/// <summary>What IPVS_CMD_GET_INFO reports.</summary>
/// <param name="Version">IPVS_INFO_ATTR_VERSION: 0x010201 is 1.2.1.</param>
/// <param name="ConnectionTableSize">IPVS_INFO_ATTR_CONN_TAB_SIZE: buckets in the connection hash table.</param>
public sealed record IpvsInfo(uint Version, uint ConnectionTableSize)
{
    /// <summary>"1.2.1".</summary>
    public string VersionText => string.Create(CultureInfo.InvariantCulture, $"{(Version >> 16) & 0xFF}.{(Version >> 8) & 0xFF}.{Version & 0xFF}");
}
