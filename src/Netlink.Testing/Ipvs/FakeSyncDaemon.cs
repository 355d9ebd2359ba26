namespace Netlink.Testing;

/// <summary>A running sync daemon's configuration (struct ipvs_sync_daemon_cfg) with the kernel's defaults filled in.</summary>
internal sealed record FakeSyncDaemon(uint State, string Interface, uint SyncId, ushort MaxLength, ushort Port, byte Ttl, byte[] Group);
