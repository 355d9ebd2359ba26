using System.Buffers;

namespace Netlink.Testing;

public sealed partial class FakeIpvsKernel
{
    /// <summary>ip_vs_genl_dump_services: every service, in the order they were added (the kernel's is its hash order).</summary>
    private void DumpServices(in NetlinkMessage request, Queue<byte[]> replies)
    {
        var dump = new DumpPacker(this, request, replies);
        foreach (ServiceEntry service in _serviceOrder)
        {
            _scratch.Clear();
            IpvsReplyWriter.WriteService(_scratch, _familyId, request.Sequence, request.PortId, dump.EntryFlags, service, _options.Hz);
            dump.Add(_scratch.WrittenSpan);
        }
        dump.Finish();
    }

    /// <summary>
    /// ip_vs_genl_dump_dests: the service's real servers, newest first. A malformed request or a missing service
    /// gives an empty dump (NLMSG_DONE alone), never an error.
    /// </summary>
    private void DumpDestinations(in NetlinkMessage request, in TopLevel top, Queue<byte[]> replies)
    {
        var dump = new DumpPacker(this, request, replies);
        if (IpvsRequests.ParseService(top.Service, top.HasService, full: false, out ServiceRequest key) == 0
            && _services.TryGetValue(key.Id, out ServiceEntry? service))
        {
            foreach (RealServerEntry server in service.Destinations)
            {
                _scratch.Clear();
                IpvsReplyWriter.WriteDestination(_scratch, _familyId, request.Sequence, request.PortId, dump.EntryFlags, server);
                dump.Add(_scratch.WrittenSpan);
            }
        }
        dump.Finish();
    }

    /// <summary>ip_vs_genl_dump_daemons: the master, then the backup.</summary>
    private void DumpDaemons(in NetlinkMessage request, Queue<byte[]> replies)
    {
        var dump = new DumpPacker(this, request, replies);
        foreach (FakeSyncDaemon? daemon in (ReadOnlySpan<FakeSyncDaemon?>)[_master, _backup])
        {
            if (daemon is not null)
            {
                _scratch.Clear();
                IpvsReplyWriter.WriteDaemon(_scratch, _familyId, request.Sequence, request.PortId, dump.EntryFlags, daemon);
                dump.Add(_scratch.WrittenSpan);
            }
        }
        dump.Finish();
    }

    /// <summary>
    /// Packs dump messages into datagrams of at most <see cref="FakeIpvsKernelOptions.DumpDatagramSize"/> bytes, as
    /// netlink_dump fills one skb per pass, and puts NLMSG_DONE after the last entry, in its datagram when it fits.
    /// </summary>
    private ref struct DumpPacker
    {
        private readonly Queue<byte[]> _replies;
        private readonly ArrayBufferWriter<byte> _datagram = new(4096);
        private readonly int _limit;
        private readonly uint _sequence;
        private readonly uint _portId;

        public DumpPacker(FakeIpvsKernel kernel, in NetlinkMessage request, Queue<byte[]> replies)
        {
            _replies = replies;
            _limit = kernel._options.DumpDatagramSize;
            _sequence = request.Sequence;
            _portId = request.PortId;
            bool interrupted = kernel._interruptedDumps > 0;
            if (interrupted)
            {
                kernel._interruptedDumps--;
            }
            EntryFlags = NetlinkMessageFlags.Multi | (interrupted ? NetlinkMessageFlags.DumpInterrupted : NetlinkMessageFlags.None);
        }

        /// <summary>NLM_F_MULTI, plus NLM_F_DUMP_INTR when this dump is to look interrupted.</summary>
        public NetlinkMessageFlags EntryFlags { get; }

        public readonly void Add(ReadOnlySpan<byte> message)
        {
            if (_datagram.WrittenCount > 0 && _datagram.WrittenCount + message.Length > _limit)
            {
                Flush();
            }
            _datagram.Write(message);
        }

        public readonly void Finish()
        {
            using var done = new NetlinkBuffer(64);
            IpvsReplyWriter.WriteDone(done, _sequence, _portId, EntryFlags & NetlinkMessageFlags.DumpInterrupted);
            Add(done.WrittenSpan);
            Flush();
        }

        private readonly void Flush()
        {
            _replies.Enqueue(_datagram.WrittenSpan.ToArray());
            _datagram.ResetWrittenCount();
        }
    }
}
